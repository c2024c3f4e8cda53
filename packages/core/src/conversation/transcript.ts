// The Markdown transcript of a conversation. Each message gets a bold heading (`**User:**`);
// code is fenced with its language; tool traffic and model thinking are wrapped in
// `<details><summary>…</summary>` so a renderer can fold them (the web page sanitizes the
// Markdown it renders, so this is layout, not trust).

import type { NormalizedMessage } from './normalizedConversation';
import { roleLabel } from './roleLabel';

const FOLD_SUMMARIES: Record<string, string> = {
  thoughts: 'Thoughts',
  reasoning_recap: 'Reasoning',
  execution_output: 'Execution output',
  tether_browsing_display: 'Browsing results',
  tether_quote: 'Quoted page',
  sonic_webpage: 'Web page',
  computer_output: 'Computer output',
  system_error: 'Error',
};

/** A fence longer than any backtick run in the code, so the code cannot close it early. */
function fenced(code: string, language: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

/** The info string of a fence: the language when it is a plain word ("unknown" means none). */
function fenceLanguage(language: string | undefined): string {
  return language && language !== 'unknown' && /^[\w#+.-]+$/.test(language) ? language : '';
}

/** Why (and under what summary) a message is folded, or null when it is shown open. */
function foldSummary(message: NormalizedMessage): string | null {
  const known = FOLD_SUMMARIES[message.content_type];
  if (known !== undefined) return known;
  if (message.role === 'tool') return message.author_name ? `Tool output: ${message.author_name}` : 'Tool output';
  // An assistant message addressed to a tool (`recipient: "browser"`, `"python"`) is a tool call.
  if (message.recipient !== null && message.recipient !== 'all') return `Tool call: ${message.recipient}`;
  return null;
}

function body(message: NormalizedMessage, language: string | undefined): string {
  return message.content_type === 'code' ? fenced(message.text, fenceLanguage(language)) : message.text;
}

/** Text inside a fold must not close it early. */
function escapeFoldEnd(text: string): string {
  return text.replace(/<\/details>/gi, '&lt;/details&gt;');
}

/**
 * One message's Markdown block as `before + body + after`, where `body` is the message's text
 * itself unless a code fence or a fold had to change it: a writer that has the text escaped
 * already (`convert`) reuses it. `before` ends and `after` starts with ASCII.
 */
export interface TranscriptBlock {
  before: string;
  body: string;
  after: string;
}

/** One message's Markdown block in its parts; `language` labels the fence of a `code` message. */
export function transcriptBlock(message: NormalizedMessage, language?: string): TranscriptBlock {
  const heading = `**${roleLabel(message)}:**`;
  const summary = foldSummary(message);
  const content = body(message, language);
  if (summary === null) return { before: `${heading}\n\n`, body: content, after: '' };
  return { before: `${heading}\n\n<details><summary>${summary}</summary>\n\n`, body: escapeFoldEnd(content), after: '\n\n</details>' };
}

/** One message's Markdown block; `language` labels the fence of a `code` message. */
export function renderMessage(message: NormalizedMessage, language?: string): string {
  const block = transcriptBlock(message, language);
  return block.before + block.body + block.after;
}

/** What separates the messages' blocks in a transcript: a blank line. */
export const TRANSCRIPT_SEPARATOR = '\n\n';

/**
 * The whole transcript: one block per visible message, separated by TRANSCRIPT_SEPARATOR.
 * `codeLanguages` maps a message id to its code language (`content.language`), which the
 * normalized message does not keep.
 */
export function renderTranscript(messages: NormalizedMessage[], codeLanguages: ReadonlyMap<string, string> = new Map()): string {
  return messages.map((message) => renderMessage(message, codeLanguages.get(message.id))).join(TRANSCRIPT_SEPARATOR);
}
