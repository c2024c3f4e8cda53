import type { Readable } from 'node:stream';

/**
 * Random-access bytes: a local file now, an S3 object (ranged GETs) later. A ZIP must be read
 * from its central directory at the end, so forward-only streams are not enough.
 */
export interface ByteSource {
  /** A name for messages, e.g. the file path or `s3://bucket/key`. */
  readonly name: string;
  size(): Promise<number>;
  /** A stream of bytes [start, end] inclusive, as unzipper's custom sources expect. */
  stream(start: number, end?: number): Readable;
}
