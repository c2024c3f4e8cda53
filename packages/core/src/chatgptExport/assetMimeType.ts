// The type of an export file. 2026 exports name every file `<file id>.dat`, so the bytes are
// the only truth: file-type reads the magic numbers (PNG, JPEG, WebP, GIF, WAV, MP3, M4A, PDF, …).
// Formats without magic numbers (plain text, CSV, code) fall back to the original name's
// extension; what neither knows is application/octet-stream.

import { fileTypeFromBuffer } from 'file-type';
import { lookup } from 'mime-types';

export const UNKNOWN_MIME_TYPE = 'application/octet-stream';
/** file-type needs at most this many leading bytes. */
export const MIME_SNIFF_BYTES = 4100;

export interface SniffedMimeType {
  mimeType: string;
  /** How we know: the bytes, the name's extension, or not at all. */
  source: 'bytes' | 'name' | 'unknown';
}

export async function assetMimeType(leadingBytes: Uint8Array, name: string): Promise<SniffedMimeType> {
  const sniffed = await fileTypeFromBuffer(leadingBytes);
  if (sniffed) return { mimeType: sniffed.mime, source: 'bytes' };
  const byName = /\.dat$/i.test(name) ? false : lookup(name);
  if (byName) return { mimeType: byName, source: 'name' };
  return { mimeType: UNKNOWN_MIME_TYPE, source: 'unknown' };
}
