import { ExportReadError } from './exportReadError';
import { MIN_BYTES_FOR_RATIO_CHECK } from './exportReadOptions';
import type { ZipEntry } from './zipArchive';

export interface ZipSizeLimits {
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

/**
 * Checks the sizes the central directory declares for the entries we are about to read, before
 * inflating a byte. Only those entries: a bomb in chat.html or an asset we never open is
 * harmless. readZipEntry then holds each entry to its declared size while inflating, so these
 * limits also bound what is actually produced.
 */
export function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ZipSizeLimits, archiveName: string): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= MIN_BYTES_FOR_RATIO_CHECK && ratio > limits.maxCompressionRatio) {
      throw new ExportReadError(
        'zip-bomb',
        `${archiveName}: ${entry.name} would expand ${Math.round(ratio)}:1 (limit ${limits.maxCompressionRatio}:1); refusing a possible zip bomb`,
      );
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw new ExportReadError(
      'zip-bomb',
      `${archiveName}: conversations would expand to ${total} bytes (limit ${limits.maxUncompressedBytes}); refusing a possible zip bomb`,
    );
  }
}
