import { Readable } from 'node:stream';
import type { ByteSource } from '@threadline/core/chatgptExport/byteSource';

/** Bytes already in memory as a ByteSource (small uploads, tests). */
export function bufferSource(name: string, bytes: Buffer, chunkSize = 64 * 1024): ByteSource {
  return {
    name,
    size: async () => bytes.length,
    stream(start, end) {
      const last = Math.min(end ?? bytes.length - 1, bytes.length - 1);
      const slice = bytes.subarray(start, Math.max(start, last + 1));
      const chunks: Buffer[] = [];
      for (let i = 0; i < slice.length; i += chunkSize) chunks.push(slice.subarray(i, i + chunkSize));
      return Readable.from(chunks);
    },
  };
}
