// `searchScenario`: the search engines compared on one generated export, in one process against
// the in-memory DynamoDB Local and s3rver of a local system. Prints one JSON line.
//   ours:        the inverted index in DynamoDB (packages/core/src/search), written per chunk
//   minisearch:  one MiniSearch index per user, serialized to S3 (what a Lambda would load)
// For each: build time (beside writing the archive itself), incremental update of 100 edited
// conversations, query latency cold (first run of each query in a new process) and warm (p50/p95
// of repeats in a process that keeps a SearchCache, as the API's Lambda and the local server do;
// ours also without one: what every request costs when nothing is kept), index size, and the
// heap a query needs.
//   NODE_OPTIONS=--openssl-legacy-provider tsx packages/local/bench/searchScenario.ts --zip export.zip
import { createReadStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import MiniSearch from 'minisearch';
import { metaKey } from '@threadline/core/archive/conversationKeys';
import type { NormalizedConversation } from '@threadline/core/conversation/normalizedConversation';
import { indexConversations } from '@threadline/core/search/indexConversations';
import { searchArchive, type SearchContext } from '@threadline/core/search/searchArchive';
import { SearchCache } from '@threadline/core/search/searchCache';
import { foldText } from '@threadline/core/search/searchText';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { writeConversations } from '@threadline/core/archive/writeConversations';
import { startLocalSystem } from '../src/app/localSystem';
import { convertExport } from '../src/cli/convertCommand';

const { values } = parseArgs({ options: { zip: { type: 'string' }, jsonl: { type: 'string' }, repeats: { type: 'string', default: '20' } } });
const workDir = await mkdtemp(join(tmpdir(), 'threadline-bench-search-'));
const jsonl = values.jsonl ?? join(workDir, 'export.jsonl');
if (!values.jsonl) await convertExport(values.zip!, jsonl);

const system = await startLocalSystem({ inMemory: true, namePrefix: 'bench-search', log: () => undefined });
const ctx: StoreContext = { clients: system.clients, resources: system.resources };
const user = 'bench';
const CHUNK = 250;

async function* chunks(): AsyncGenerator<NormalizedConversation[]> {
  let chunk: NormalizedConversation[] = [];
  for await (const line of createInterface({ input: createReadStream(jsonl) })) {
    if (!line) continue;
    chunk.push(JSON.parse(line) as NormalizedConversation);
    if (chunk.length === CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

// --- build: the archive's writes, then ours, per chunk (as the chunk step does); MiniSearch beside.
const mini = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], storeFields: [], processTerm: (term) => foldText(term) });
let archiveSeconds = 0;
let oursSeconds = 0;
let miniSeconds = 0;
let conversations = 0;
let messages = 0;
let postings = 0;
let postingBytes = 0;
const sample: NormalizedConversation[] = [];
for await (const chunk of chunks()) {
  let started = performance.now();
  await writeConversations(ctx, user, 'bench-import', chunk);
  archiveSeconds += (performance.now() - started) / 1000;
  started = performance.now();
  const counts = await indexConversations(ctx, user, chunk);
  oursSeconds += (performance.now() - started) / 1000;
  started = performance.now();
  for (const conversation of chunk) mini.addAll(conversation.messages.map((m) => ({ id: `${conversation.conversation_id}#${m.position}`, text: m.text })));
  miniSeconds += (performance.now() - started) / 1000;
  postings += counts.segment_items;
  postingBytes += counts.segment_bytes;
  conversations += chunk.length;
  messages += chunk.reduce((sum, c) => sum + c.messages.length, 0);
  if (sample.length < 100) sample.push(...chunk.slice(0, 100 - sample.length));
  process.stderr.write(`\rindexed ${conversations} conversations`);
}
process.stderr.write('\n');
let started = performance.now();
const serialized = JSON.stringify(mini);
await system.clients.s3.send(new PutObjectCommand({ Bucket: system.resources.bucket, Key: 'bench/minisearch.json', Body: serialized }));
const miniPersistSeconds = (performance.now() - started) / 1000;

// --- queries
const queries = ['deploy', 'the', 'kubernetes rollback', 'latency cache memory', '"garbage collector"', '"the model"', '東京', '数据库', 'café', 'zanzibar'];
const repeats = Number(values.repeats);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1)! };
};
async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const at = performance.now();
  const value = await run();
  return { ms: performance.now() - at, value };
}

global.gc?.();
let heapPeak = 0;
const oursCold: number[] = [];
const oursWarm: number[] = [];
const oursUncached: number[] = [];
const hitCounts: Record<string, number> = {};
const perQuery: Record<string, { p50: number; p95: number }> = {};
// One warm process: its cache fills as the queries come, bounded by its limits.
const warmProcess: SearchContext = { ...ctx, searchCache: new SearchCache() };
for (const q of queries) {
  // Cold: a new process (an empty cache) asks this query first.
  const first = await timed(() => searchArchive({ ...ctx, searchCache: new SearchCache() }, user, { q }));
  oursCold.push(first.ms);
  hitCounts[q] = first.value.total;
  await searchArchive(warmProcess, user, { q });
  const warm: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    // Heap right after a query, from a collected start: what one query allocates at most.
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    warm.push((await timed(() => searchArchive(warmProcess, user, { q }))).ms);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - base);
  }
  oursWarm.push(...warm);
  const { p50, p95 } = stats(warm);
  perQuery[q] = { p50, p95 };
  for (let i = 0; i < Math.min(repeats, 5); i += 1) oursUncached.push((await timed(() => searchArchive(ctx, user, { q }))).ms);
}
const oursQueryHeapMb = heapPeak / 1e6;

// Baseline of the same run: one GetItem of a META (a round trip to this DynamoDB Local now).
const getItem: number[] = [];
for (let i = 0; i < 200; i += 1) {
  const conversation = sample[i % sample.length]!;
  getItem.push((await timed(() => system.clients.dynamo.send(new GetCommand({ TableName: system.resources.tables.Conversations, Key: metaKey(user, conversation.conversation_id) })))).ms);
}

// MiniSearch: cold = load the index from S3 and parse it (a new Lambda container), then search.
const miniCold: number[] = [];
const miniWarm: number[] = [];
let loaded: MiniSearch | null = null;
global.gc?.();
const miniHeapBefore = process.memoryUsage().heapUsed;
for (const q of queries) {
  const coldRun = await timed(async () => {
    const object = await system.clients.s3.send(new GetObjectCommand({ Bucket: system.resources.bucket, Key: 'bench/minisearch.json' }));
    loaded = MiniSearch.loadJSON(await object.Body!.transformToString(), { fields: ['text'], processTerm: (term) => foldText(term) });
    return loaded.search(q.replaceAll('"', ''), { combineWith: 'AND' }).length;
  });
  miniCold.push(coldRun.ms);
  for (let i = 0; i < repeats; i += 1) miniWarm.push((await timed(() => loaded!.search(q.replaceAll('"', ''), { combineWith: 'AND' }).length)).ms);
}
global.gc?.();
// What a warm MiniSearch Lambda holds: the whole index, parsed.
const miniQueryHeapMb = (process.memoryUsage().heapUsed - miniHeapBefore) / 1e6;

// --- incremental: 100 conversations edited (one message changed), written and re-indexed.
const edited = sample.map((conversation) => ({
  ...conversation,
  update_time: new Date(Date.parse(conversation.update_time ?? '2020-01-01T00:00:00Z') + 1000).toISOString(),
  content_hash: `${conversation.content_hash}-edited`,
  messages: conversation.messages.map((m, index) => (index === 0 ? { ...m, text: `${m.text} zanzibar itinerary` } : m)),
}));
started = performance.now();
await writeConversations(ctx, user, 'bench-edit', edited);
const editArchiveSeconds = (performance.now() - started) / 1000;
started = performance.now();
await indexConversations(ctx, user, edited);
const editOursSeconds = (performance.now() - started) / 1000;
started = performance.now();
for (const conversation of sample) mini.discardAll(conversation.messages.map((m) => `${conversation.conversation_id}#${m.position}`));
for (const conversation of edited) mini.addAll(conversation.messages.map((m) => ({ id: `${conversation.conversation_id}#${m.position}`, text: m.text })));
await system.clients.s3.send(new PutObjectCommand({ Bucket: system.resources.bucket, Key: 'bench/minisearch.json', Body: JSON.stringify(mini) }));
const editMiniSeconds = (performance.now() - started) / 1000;

await system.stop();
process.stdout.write(
  JSON.stringify({
    scenario: 'search',
    conversations,
    messages,
    archiveSeconds,
    ours: {
      buildSeconds: oursSeconds,
      buildOverArchive: oursSeconds / archiveSeconds,
      secondsPer1000Conversations: (oursSeconds / conversations) * 1000,
      segmentItems: postings,
      indexMb: postingBytes / 1e6,
      cold: stats(oursCold),
      warm: stats(oursWarm),
      uncached: stats(oursUncached),
      queryHeapMb: oursQueryHeapMb,
      edit100Seconds: editOursSeconds,
      edit100OverArchive: editOursSeconds / editArchiveSeconds,
    },
    minisearch: {
      buildSeconds: miniSeconds + miniPersistSeconds,
      secondsPer1000Conversations: ((miniSeconds + miniPersistSeconds) / conversations) * 1000,
      indexMb: serialized.length / 1e6,
      cold: stats(miniCold),
      warm: stats(miniWarm),
      queryHeapMb: miniQueryHeapMb,
      edit100Seconds: editMiniSeconds,
    },
    getItem: stats(getItem),
    hits: hitCounts,
    warmByQuery: perQuery,
    archiveEdit100Seconds: editArchiveSeconds,
  }) + '\n',
);
process.exit(0);
