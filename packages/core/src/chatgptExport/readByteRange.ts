import type { ByteSource } from './byteSource';

/** Reads `length` bytes at `start` (fewer if the source ends first). For small headers only. */
export async function readByteRange(source: ByteSource, start: number, length: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream(start, start + length - 1)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).subarray(0, length);
}
