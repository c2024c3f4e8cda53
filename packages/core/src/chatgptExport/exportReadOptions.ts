/** Limits and callbacks for reading an export. Every limit has a safe default. */
export interface ExportReadOptions {
  /** Called with uncompressed conversation bytes read so far, at most about once per MiB (and once at the end). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Ceiling on the uncompressed size of the files we read from a ZIP (default 16 GiB). */
  maxUncompressedBytes?: number;
  /** Ceiling on uncompressed/compressed size per entry we read (default 200); see MIN_BYTES_FOR_RATIO_CHECK. */
  maxCompressionRatio?: number;
  /** One file (image, voice, attachment) larger than this is not copied (default 16 GiB). */
  maxAssetBytes?: number;
  /** One conversation larger than this is refused instead of buffered (default 512 MiB). */
  maxConversationBytes?: number;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 16 * 1024 ** 3;
export const DEFAULT_MAX_COMPRESSION_RATIO = 200;
export const DEFAULT_MAX_ASSET_BYTES = 16 * 1024 ** 3;

/**
 * Small entries are exempt from the ratio check: 100 KB of JSON whitespace deflates ~1000:1 and
 * is harmless; a bomb is only dangerous when it is large.
 */
export const MIN_BYTES_FOR_RATIO_CHECK = 1024 * 1024;

/** How often onProgress may be called. */
export const PROGRESS_INTERVAL_BYTES = 1024 * 1024;
