import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, copyFile } from 'node:fs/promises';
import { once } from 'node:events';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuplicateLedger } from '@threadline/core/conversation/duplicateLedger';
import type { ConversationFailure } from '@threadline/core/conversation/normalizedConversation';
import { ExportReadError, keepsWhatWasRead } from '@threadline/core/chatgptExport/exportReadError';
import { openExport } from '@threadline/core/chatgptExport/openExport';
import { BufferPool } from '../convert/bufferPool';
import { convertInOrder } from '../convert/orderedConversion';
import { seekableInput } from '../convert/seekableInput';
import { type ProgressBar, progressBar } from './progressBar';
import type { TruncatedFile } from '@threadline/core/chatgptExport/truncatedFile';

export interface ConvertSummary {
  conversations: number;
  failed: ConversationFailure[];
  duplicates: number;
  messages: number;
  bytes: number;
  seconds: number;
  missingShards: string[];
  truncatedFiles: TruncatedFile[];
  /** The conversation files read (names as in the export). */
  files: string[];
  /**
   * Why reading stopped before the end (a truncated or malformed conversations file): every
   * conversation before the break is in the output, nothing after it.
   */
  readError?: string;
}

export interface ConvertOptions {
  /** Worker threads for parsing, normalizing and serializing (default: one per core but this one; none for small exports). */
  workers?: number;
  /** Where `-` reads from (default process.stdin). */
  stdin?: Readable;
}

/**
 * Below this much conversation JSON, starting worker threads (~0.2 s each, loading the
 * TypeScript sources) costs more than they save.
 */
const MIN_BYTES_FOR_WORKERS = 16 * 1024 * 1024;

/** The output file's write buffer: lines are written in batches, never awaited one by one. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * `threadline convert`: export → JSONL of normalized conversations, with no AWS and no stack.
 * Lines go to a temporary file first: a later duplicate of a conversation may win over a copy
 * already written, and only a file can drop that earlier line without holding the export in memory.
 *
 * A truncated or malformed conversations file after conversations were read keeps them: they
 * are published and the fault is returned as `readError`. A fault before any conversation, a
 * damaged archive, or any other error throws and publishes nothing.
 */
export async function convertExport(input: string, out: string | undefined, options: ConvertOptions = {}): Promise<ConvertSummary> {
  const started = performance.now();
  const workDir = await mkdtemp(join(out ? dirname(resolve(out)) : tmpdir(), '.threadline-convert-'));
  let bar: ProgressBar | undefined;
  let lines = 0;
  try {
    const source = await seekableInput(input, workDir, options.stdin);
    const opened = await openExport(source, {
      onProgress: (bytesRead, totalBytes) => {
        const seconds = (performance.now() - started) / 1000;
        bar?.update(bytesRead, {
          value_mb: (bytesRead / 1e6).toFixed(0),
          total_mb: (totalBytes / 1e6).toFixed(0),
          rate: (bytesRead / 1e6 / Math.max(seconds, 0.001)).toFixed(0),
          conversations: lines,
        });
      },
    });
    bar = progressBar('{bar} {percentage}% | {value_mb}/{total_mb} MB | {rate} MB/s | {conversations} conversations', opened.totalBytes);
    const draft = join(workDir, 'conversations.jsonl');
    const ledger = new DuplicateLedger();
    const superseded = new Set<number>();
    const failed: ConversationFailure[] = [];
    const messageCounts: number[] = [];
    let read = 0;
    let readError: string | undefined;
    // The calling thread converts too (when the workers are busy): one worker per other core.
    const workers = options.workers ?? (opened.totalBytes >= MIN_BYTES_FOR_WORKERS ? availableParallelism() - 1 : 0);

    const file = createWriteStream(draft, { highWaterMark: WRITE_BUFFER_BYTES });
    // Batch and line buffers go round (a batch's lines come back once written): few fresh pages, little GC.
    const buffers = new BufferPool();
    try {
      for await (const result of convertInOrder(opened.conversationElements(), { workers, buffers })) {
        read += result.read;
        failed.push(...result.failed);
        // The batch's kept lines go out as few writes as possible: one per run between dropped copies.
        let runStart = 0;
        let at = 0;
        for (const converted of result.converted) {
          const offer = ledger.offer({ id: converted.conversationId, updateTime: converted.updateTime, mappingSize: converted.mappingSize, ordinal: lines });
          if (offer.verdict === 'older') {
            if (at > runStart && !file.write(result.lines.subarray(runStart, at))) await once(file, 'drain');
            at += converted.lineBytes;
            runStart = at;
            continue;
          }
          if (offer.verdict === 'replaces') superseded.add(offer.superseded);
          at += converted.lineBytes;
          lines += 1;
          messageCounts.push(converted.messageCount);
        }
        const spent = result.lines.buffer as ArrayBuffer;
        if (at > runStart) {
          // Writes finish in order: when the last one has, the stream holds none of the batch's bytes.
          if (!file.write(result.lines.subarray(runStart, at), () => buffers.give(spent))) await once(file, 'drain');
        } else buffers.give(spent);
        if (result.fault) throw new ExportReadError(result.fault.code, result.fault.message);
      }
    } catch (error) {
      if (!(error instanceof ExportReadError) || read === 0 || !keepsWhatWasRead(error)) throw error;
      readError = error.message;
    } finally {
      file.end();
      await once(file, 'finish');
    }
    bar.stop();
    await publish(draft, out, superseded);
    return {
      conversations: lines - superseded.size,
      failed,
      duplicates: ledger.duplicates,
      messages: messageCounts.reduce((sum, count, line) => (superseded.has(line) ? sum : sum + count), 0),
      bytes: opened.totalBytes,
      seconds: (performance.now() - started) / 1000,
      missingShards: opened.missingShards,
      truncatedFiles: opened.truncatedFiles,
      files: opened.files.map((exportFile) => exportFile.name),
      readError,
    };
  } finally {
    bar?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
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
