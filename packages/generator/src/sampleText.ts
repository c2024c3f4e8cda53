import { SeededRandom } from './seededRandom';

/**
 * Realistic-looking message text, built fast: pools of sentences and Markdown
 * blocks are precomputed once (from a fixed seed, so they never vary), and each
 * message is a seeded pick-and-join over them. Picking is what keeps the
 * generator above 100 MB/s; word-by-word assembly per message is far slower.
 */

const WORDS = (
  'the a an of to and in that is for it with as on be at by this from or have not are but ' +
  'deploy cluster function variable request response database index query cache latency memory ' +
  'thread stream buffer parser schema migration rollback container kubernetes lambda bucket ' +
  'recipe garden travel budget invoice contract essay chapter character summary outline draft ' +
  'react component state hook render props typescript interface generic promise async await ' +
  'python pandas dataframe column matrix vector gradient model training dataset accuracy loss ' +
  'should could would might must will can may explain compare suggest improve rewrite translate ' +
  'quickly carefully roughly exactly usually often rarely simply clearly probably actually ' +
  'error warning timeout retry backoff throughput benchmark profile allocation garbage collector ' +
  'weekend morning evening meeting project deadline team manager customer feedback release'
).split(' ');

// Non-ASCII words so the archive exercises UTF-8 and the importer's escaping.
const UNICODE_WORDS = [
  'café', 'naïve', 'façade', 'Zürich', 'São Paulo', 'smörgåsbord', 'jalapeño', 'Ελληνικά', 'Привет',
  '東京', '数据库', '日本語のテキスト', '한국어', 'مرحبا', 'שלום', '🚀', '✅', '🎉', '🤔', '👍🏽', '🇫🇷',
  '—', '…', '“quoted”', '½', '€42', '→', '∑', 'naïveté', 'piñata', '中文字符', '絵文字 😀',
];

// Text that needs JSON escaping: quotes, backslashes, tabs, Windows paths, regexes.
const ESCAPE_HEAVY = [
  'Use "double quotes" and \'single quotes\' carefully.',
  'The path is C:\\Users\\dev\\projects\\threadline\\data.json on Windows.',
  'Match it with the regex /^\\d{3}-\\d{4}$/ or "\\\\s+" in a string.',
  'Columns:\tname\tvalue\tunit',
  'He said: "it\'s a \\"nested\\" quote" and left.',
  'Escape sequences like \\n and \\t are literal here, not newlines.',
];

const LANGUAGES = ['python', 'typescript', 'bash', 'sql', 'json', 'rust', 'go'];

const CODE_SNIPPETS: Record<string, string[]> = {
  python: [
    'import pandas as pd\n\ndf = pd.read_csv("sales.csv")\nprint(df.groupby("region")["revenue"].sum())',
    'def fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint([fib(i) for i in range(10)])',
    'import re\npattern = re.compile(r"^\\s*(\\w+)=(\\"[^\\"]*\\")$")\nfor line in open("config.ini"):\n    if m := pattern.match(line):\n        print(m.group(1))',
  ],
  typescript: [
    'export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  for (let i = 0; ; i++) {\n    try {\n      return await fn();\n    } catch (err) {\n      if (i >= attempts - 1) throw err;\n      await new Promise((r) => setTimeout(r, 2 ** i * 100));\n    }\n  }\n}',
    'interface User {\n  id: string;\n  name: string;\n  email?: string;\n}\n\nconst byId = new Map<string, User>(users.map((u) => [u.id, u]));',
  ],
  bash: [
    'for f in *.json; do\n  jq -r \'.[] | .title\' "$f" | sort | uniq -c\ndone',
    'kubectl rollout undo deployment/api -n staging && kubectl rollout status deployment/api -n staging',
  ],
  sql: [
    'SELECT date_trunc(\'month\', created_at) AS month, count(*)\nFROM conversations\nWHERE user_id = $1\nGROUP BY 1\nORDER BY 1;',
  ],
  json: ['{\n  "name": "threadline",\n  "version": "1.0.0",\n  "scripts": { "test": "vitest run" }\n}'],
  rust: ['fn main() {\n    let words: Vec<&str> = "a b c".split(\' \').collect();\n    println!("{:?}", words);\n}'],
  go: ['func handler(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, "hello, %s\\n", r.URL.Path[1:])\n}'],
};

const TOPICS = [
  'Deploying the staging cluster', 'Sourdough starter troubleshooting', 'Trip to Kyoto 🇯🇵', 'Quarterly budget review',
  'Refactor React hooks', 'Pandas groupby question', 'Cover letter draft', 'Explain backpropagation',
  'SQL index tuning', 'Birthday party ideas 🎉', '数据库迁移方案', 'Résumé feedback', 'Rust borrow checker help',
  'Kubernetes rollback', 'Marathon training plan', 'Translate to Japanese', 'Bash script for backups',
  'Essay on "The Great Gatsby"', 'Regex for phone numbers \\d{3}', 'Home network setup',
];

const DOMAINS = ['en.wikipedia.org', 'developer.mozilla.org', 'docs.python.org', 'stackoverflow.com', 'www.nytimes.com', 'arxiv.org', 'github.com'];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// Share of words that are non-ASCII in "international" text.
let unicodeWordRate = 0;

function buildSentence(rng: SeededRandom): string {
  const length = rng.int(6, 18);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    words.push(unicodeWordRate > 0 && rng.chance(unicodeWordRate) ? rng.pick(UNICODE_WORDS) : rng.pick(WORDS));
  }
  if (rng.chance(0.15)) words.push(`\`${rng.pick(WORDS)}()\``);
  if (rng.chance(0.1)) words.push(`**${rng.pick(WORDS)}**`);
  return capitalize(words.join(' ')) + rng.pick(['.', '.', '.', '?', '!', ':']);
}

function buildParagraph(rng: SeededRandom): string {
  const count = rng.int(2, 6);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(rng.chance(0.08) ? rng.pick(ESCAPE_HEAVY) : buildSentence(rng));
  return sentences.join(' ');
}

function buildCodeBlock(rng: SeededRandom): string {
  const language = rng.pick(LANGUAGES);
  return '```' + language + '\n' + rng.pick(CODE_SNIPPETS[language]) + '\n```';
}

function buildList(rng: SeededRandom): string {
  const items: string[] = [];
  const ordered = rng.chance(0.4);
  const count = rng.int(3, 7);
  for (let i = 0; i < count; i++) items.push(`${ordered ? `${i + 1}.` : '-'} ${buildSentence(rng)}`);
  return items.join('\n');
}

function buildTable(rng: SeededRandom): string {
  const rows = ['| Option | Cost | Notes |', '|---|---|---|'];
  const count = rng.int(2, 5);
  for (let i = 0; i < count; i++) rows.push(`| ${capitalize(rng.pick(WORDS))} | $${rng.int(1, 999)} | ${rng.pick(unicodeWordRate > 0 ? UNICODE_WORDS : WORDS)} ${rng.pick(WORDS)} |`);
  return rows.join('\n');
}

function buildBlock(rng: SeededRandom): string {
  const roll = rng.next();
  if (roll < 0.5) return buildParagraph(rng);
  if (roll < 0.65) return buildList(rng);
  if (roll < 0.8) return buildCodeBlock(rng);
  if (roll < 0.87) return buildTable(rng);
  if (roll < 0.94) return `### ${capitalize(rng.pick(WORDS))} ${rng.pick(WORDS)}`;
  return `> ${buildSentence(rng)}`;
}

interface TextPool {
  sentences: string[];
  paragraphs: string[];
  blocks: string[];
}

function buildPool(rng: SeededRandom, unicodeRate: number): TextPool {
  unicodeWordRate = unicodeRate;
  const pool = {
    sentences: Array.from({ length: 1024 }, () => buildSentence(rng)),
    paragraphs: Array.from({ length: 512 }, () => buildParagraph(rng)),
    blocks: Array.from({ length: 1024 }, () => buildBlock(rng)),
  };
  unicodeWordRate = 0;
  return pool;
}

// Fixed seed: the pools are part of the format, not of an export's seed.
// Two pools: most messages are plain ASCII (as in most real exports, and V8
// serializes one-byte strings much faster); some are full of emoji, CJK and accents.
const poolRng = new SeededRandom(0x7e57ab1e);
const ASCII_POOL = buildPool(poolRng, 0);
const INTERNATIONAL_POOL = buildPool(poolRng, 0.12);
const INTERNATIONAL_SHARE = 0.12;

function pool(rng: SeededRandom): TextPool {
  return rng.chance(INTERNATIONAL_SHARE) ? INTERNATIONAL_POOL : ASCII_POOL;
}

export function conversationTitle(rng: SeededRandom): string {
  return rng.chance(0.5) ? rng.pick(TOPICS) : capitalize(`${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.pick(WORDS)}`);
}

/** A user prompt: one or a few sentences, sometimes with pasted code. */
export function userPrompt(rng: SeededRandom): string {
  const sentences = pool(rng).sentences;
  const count = rng.int(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(rng.pick(sentences));
  let text = parts.join(' ');
  if (rng.chance(0.12)) text += '\n\n' + buildCodeBlock(rng);
  if (rng.chance(0.05)) text += '\n\n' + rng.pick(ESCAPE_HEAVY);
  return text;
}

/** An assistant answer in Markdown; `blocks` sets the length. */
export function assistantAnswer(rng: SeededRandom, blocks: number): string {
  const { paragraphs, blocks: pooledBlocks } = pool(rng);
  const parts: string[] = [rng.pick(paragraphs)];
  for (let i = 1; i < blocks; i++) parts.push(rng.pick(pooledBlocks));
  return parts.join('\n\n');
}

export function shortSentence(rng: SeededRandom): string {
  return rng.pick(pool(rng).sentences);
}

export function paragraph(rng: SeededRandom): string {
  return rng.pick(pool(rng).paragraphs);
}

export function pythonCode(rng: SeededRandom): string {
  return rng.pick(CODE_SNIPPETS.python);
}

export function executionOutput(rng: SeededRandom): string {
  const lines: string[] = [];
  const count = rng.int(1, 6);
  for (let i = 0; i < count; i++) lines.push(`${rng.pick(WORDS)}\t${rng.int(0, 99999) / 100}`);
  return lines.join('\n');
}

export function searchQuery(rng: SeededRandom): string {
  return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(2023, 2026)}`;
}

export function webDomain(rng: SeededRandom): string {
  return rng.pick(DOMAINS);
}
