import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ByteSource } from './byteSource';

/** A local file as a random-access ByteSource. */
export function fileSource(path: string): ByteSource {
  return {
    name: path,
    size: async () => (await stat(path)).size,
    stream(start, end) {
      // createReadStream throws synchronously on an empty range; callers ask for ranges past
      // the end when an archive's offsets are corrupt, which must surface as a read of nothing.
      if (end !== undefined && end < start) return Readable.from([]);
      return createReadStream(path, { start, end, highWaterMark: 256 * 1024 });
    },
  };
}
