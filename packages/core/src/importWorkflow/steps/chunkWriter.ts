// Cuts the stream of conversations into chunk files as Split reads it: at most one chunk is held
// in memory, written with one PutObject when full, then forgotten (only its manifest line stays).

import type { S3Client } from '@aws-sdk/client-s3';
import { objectKeys } from '../../archive/objectKeys';
import type { ChunkLine, ChunkManifestLine } from './chunkManifest';
import { putText } from './s3JsonObjects';

export interface ChunkLimits {
  /** Conversations per chunk: a chunk's writes must finish well inside its Task timeout. */
  maxConversations: number;
  /** Bytes per chunk file: what ProcessChunk parses at once (a larger single conversation gets a chunk of its own). */
  maxBytes: number;
}

export const defaultChunkLimits: ChunkLimits = { maxConversations: 250, maxBytes: 16 * 1024 * 1024 };

export class ChunkWriter {
  private readonly manifest: ChunkManifestLine[] = [];
  /** First ordinal of each written chunk, ascending: where a superseded ordinal lives. */
  private readonly firstOrdinals: number[] = [];
  private lines: Buffer[] = [];
  private ordinals: number[] = [];
  private bytes = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly importId: string,
    private readonly limits: ChunkLimits = defaultChunkLimits,
  ) {}

  get chunks(): readonly ChunkManifestLine[] {
    return this.manifest;
  }

  /**
   * Adds a conversation, given as the JSON text it was parsed from; returns the chunk it goes
   * into. The line is that text wrapped as a ChunkLine, not a re-serialization of the parsed
   * value: JSON.stringify was a tenth of Split's time.
   */
  async add(index: number, conversationJson: Buffer): Promise<number> {
    const line = chunkLine(index, conversationJson);
    const lineBytes = line.length + 1;
    if (this.lines.length > 0 && (this.lines.length >= this.limits.maxConversations || this.bytes + lineBytes > this.limits.maxBytes)) {
      await this.flush();
    }
    this.lines.push(line);
    this.ordinals.push(index);
    this.bytes += lineBytes;
    return this.manifest.length;
  }

  /** Writes the current chunk now (its files are enough work for one child); the next add starts another. */
  async close(): Promise<void> {
    if (this.lines.length > 0) await this.flush();
  }

  /** A later copy replaced the conversation at `ordinal`: drop it if still buffered, else mark it skipped. */
  supersede(ordinal: number): void {
    const buffered = this.ordinals.indexOf(ordinal);
    if (buffered >= 0) {
      this.bytes -= this.lines[buffered]!.length + 1;
      this.lines.splice(buffered, 1);
      this.ordinals.splice(buffered, 1);
      return;
    }
    const chunk = this.chunkHolding(ordinal);
    if (chunk !== null) this.manifest[chunk]!.skip.push(ordinal);
  }

  /** Writes the last, partly filled chunk. */
  async finish(): Promise<void> {
    if (this.lines.length > 0) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.manifest.length;
    const key = objectKeys.chunk(this.importId, chunk);
    await putText(this.s3, this.bucket, key, Buffer.concat(this.lines.flatMap((line) => [line, NEWLINE])), 'application/x-ndjson');
    this.manifest.push({ chunk, key, conversations: this.lines.length, bytes: this.bytes, skip: [] });
    this.firstOrdinals.push(this.ordinals[0]!);
    this.lines = [];
    this.ordinals = [];
    this.bytes = 0;
  }

  private chunkHolding(ordinal: number): number | null {
    let low = 0;
    let high = this.firstOrdinals.length - 1;
    let found: number | null = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.firstOrdinals[middle]! <= ordinal) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

const NEWLINE = Buffer.from('\n');
/** The line's field names, named through the type: a renamed field fails to compile here rather than at read time. */
const FIELDS: { [K in keyof ChunkLine]: K } = { index: 'index', conversation: 'conversation' };

/**
 * `{"index":<index>,"conversation":<json>}` on one line. The JSON parsed, so a line feed or
 * carriage return in it can only be whitespace between tokens (JSON strings cannot hold them
 * raw): each becomes a space.
 */
export function chunkLine(index: number, conversationJson: Buffer): Buffer {
  const head = Buffer.from(`{"${FIELDS.index}":${index},"${FIELDS.conversation}":`);
  const line = Buffer.allocUnsafe(head.length + conversationJson.length + 1);
  head.copy(line);
  conversationJson.copy(line, head.length);
  line[line.length - 1] = 0x7d; // }
  for (const byte of [0x0a, 0x0d]) {
    for (let at = line.indexOf(byte, head.length); at !== -1; at = line.indexOf(byte, at + 1)) line[at] = 0x20;
  }
  return line;
}
