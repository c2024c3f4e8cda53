import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, copyFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSource } from '@threadline/core/export/fileSource';
import { openExport } from '@threadline/core/export/openExport';
import { normalizeConversation } from '@threadline/core/conversation/normalizeConversation';
import { DuplicateLedger } from '@threadline/core/conversation/duplicateLedger';
import { duplicateCandidate } from '@threadline/core/conversation/duplicateCandidate';
import type { ConversationFailure } from '@threadline/core/conversation/normalizedConversation';
import { progressBar } from './progressBar';
import type { TruncatedFile } from '@threadline/core/export/truncatedFile';

export interface ConvertSummary {
  conversations: number;
  failed: ConversationFailure[];
  duplicates: number;
  messages: number;
  bytes: number;
  seconds: number;
  missingShards: string[];
  truncatedFiles: TruncatedFile[];
}

/**
 * `threadline convert`: export → JSONL of normalized conversations, with no AWS and no stack.
 * Lines go to a temporary file first: a later duplicate of a conversation may win over a copy
 * already written, and only a file can drop that earlier line without holding the export in memory.
 */
export async function convertExport(input: string, out: string | undefined): Promise<ConvertSummary> {
  const started = performance.now();
  const opened = await openExport(fileSource(input));
  const bar = progressBar('{bar} {percentage}% | {value_mb}/{total_mb} MB | {rate} MB/s | {conversations} conversations', opened.totalBytes);
  const workDir = await mkdtemp(join(out ? dirname(resolve(out)) : tmpdir(), '.threadline-convert-'));
  const draft = join(workDir, 'conversations.jsonl');
  const ledger = new DuplicateLedger();
  const superseded = new Set<number>();
  const failed: ConversationFailure[] = [];
  let lines = 0;
  const messageCounts: number[] = [];
  let bytesRead = 0;
  try {
    const file = createWriteStream(draft);
    for await (const entry of opened.conversations()) {
      bytesRead += entry.bytes;
      const normalized = normalizeConversation(entry.raw, entry.index);
      if (!normalized.ok) {
        failed.push(normalized.failure);
        continue;
      }
      const offer = ledger.offer({ ...duplicateCandidate(entry.raw), id: normalized.conversation.conversation_id, ordinal: lines });
      if (offer.verdict === 'older') continue;
      if (offer.verdict === 'replaces') superseded.add(offer.superseded);
      await writeLine(file, JSON.stringify(normalized.conversation));
      lines += 1;
      messageCounts.push(normalized.conversation.message_count);
      const seconds = (performance.now() - started) / 1000;
      bar.update(bytesRead, {
        value_mb: (bytesRead / 1e6).toFixed(0),
        total_mb: (opened.totalBytes / 1e6).toFixed(0),
        rate: (bytesRead / 1e6 / Math.max(seconds, 0.001)).toFixed(0),
        conversations: lines,
      });
    }
    file.end();
    await once(file, 'finish');
    bar.stop();
    await publish(draft, out, superseded);
  } finally {
    bar.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  return {
    conversations: lines - superseded.size,
    failed,
    duplicates: ledger.duplicates,
    messages: messageCounts.reduce((sum, count, line) => (superseded.has(line) ? sum : sum + count), 0),
    bytes: opened.totalBytes,
    seconds: (performance.now() - started) / 1000,
    missingShards: opened.missingShards,
    truncatedFiles: opened.truncatedFiles,
  };
}

async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(line + '\n')) await once(stream, 'drain');
}

/** Moves the draft to its destination, dropping the lines of superseded duplicates. */
async function publish(draft: string, out: string | undefined, superseded: Set<number>): Promise<void> {
  if (superseded.size === 0 && out) {
    await rename(draft, out).catch(() => copyFile(draft, out));
    return;
  }
  const destination = out ? createWriteStream(out) : process.stdout;
  if (superseded.size === 0) {
    await pipeline(createReadStream(draft), destination, { end: Boolean(out) });
    return;
  }
  let lineNumber = 0;
  const lines = createInterface({ input: createReadStream(draft), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!superseded.has(lineNumber)) await writeLine(destination, line);
    lineNumber += 1;
  }
  if (out) {
    destination.end();
    await once(destination, 'finish');
  }
}
