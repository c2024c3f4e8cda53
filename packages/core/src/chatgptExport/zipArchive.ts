import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { Open, type CentralDirectory } from 'unzipper';
import type { ByteSource } from './byteSource';
import { ExportReadError } from './exportReadError';
import { readByteRange } from './readByteRange';
import { isUnsafeEntryName } from './zipEntryName';

/** One file of a ZIP's central directory: what we need to find and check its bytes. */
export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  flags: number;
  crc32: number;
  localHeaderOffset: number;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Entries with names that could escape a folder (see isUnsafeEntryName): never read. */
  unsafeNames: string[];
}

/**
 * Reads the central directory (at the end of the archive, through unzipper's random-access
 * `Open.custom`, which also resolves Zip64 sizes and offsets). Entries with unsafe names are
 * set apart, never returned as entries; directory entries are left out.
 */
export async function readZipDirectory(source: ByteSource, archiveName: string): Promise<ZipDirectory> {
  const size = await source.size();
  let directory: CentralDirectory;
  try {
    directory = await Open.custom({
      size: async () => size,
      // unzipper asks for (offset, length); ByteSource wants an inclusive end.
      stream: (offset: number, length?: number) => {
        if (offset >= size) return Readable.from([]);
        const end = length ? Math.min(offset + length - 1, size - 1) : undefined;
        return source.stream(offset, end);
      },
    });
  } catch (error) {
    throw corrupt(archiveName, `its central directory cannot be read: ${reasonOf(error)}; is it truncated?`, error);
  }
  const entries: ZipEntry[] = [];
  const unsafeNames: string[] = [];
  for (const file of directory.files) {
    if (isUnsafeEntryName(file.path)) {
      unsafeNames.push(file.path);
      continue;
    }
    if (file.type === 'Directory') continue;
    entries.push({
      name: file.path,
      compressedSize: file.compressedSize,
      uncompressedSize: file.uncompressedSize,
      compressionMethod: file.compressionMethod,
      flags: file.flags,
      crc32: file.crc32 >>> 0,
      localHeaderOffset: file.offsetToLocalFileHeader,
    });
  }
  return { entries, unsafeNames };
}

/**
 * The uncompressed bytes of one entry, checked as they come: never more than the central
 * directory declared (a lying header is how a zip bomb slips past size checks), and at the end
 * exactly that many with a matching CRC-32.
 */
export async function* readZipEntry(source: ByteSource, entry: ZipEntry, archiveName: string): AsyncGenerator<Buffer> {
  const where = `${archiveName}: ${entry.name}`;
  if (entry.flags & FLAG_ENCRYPTED) {
    throw new ExportReadError('unsupported-zip', `${where} is encrypted; export it again without a password`);
  }
  if (entry.compressionMethod !== METHOD_STORED && entry.compressionMethod !== METHOD_DEFLATE) {
    throw new ExportReadError(
      'unsupported-zip',
      `${where} uses compression method ${entry.compressionMethod}; only stored and deflate are supported`,
    );
  }
  // The local header's name and extra field may differ in length from the central copy.
  const header = await readByteRange(source, entry.localHeaderOffset, LOCAL_HEADER_BYTES);
  if (header.length < LOCAL_HEADER_BYTES || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    throw corrupt(archiveName, `the header of ${entry.name} is missing or damaged`);
  }
  const dataStart = entry.localHeaderOffset + LOCAL_HEADER_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw =
    entry.compressedSize > 0 ? source.stream(dataStart, dataStart + entry.compressedSize - 1) : Readable.from([]);
  const inflater = entry.compressionMethod === METHOD_DEFLATE ? createInflateRaw({ chunkSize: 64 * 1024 }) : undefined;
  // pipe() does not forward errors; destroying the inflater with the source's error does.
  raw.on('error', (error) => inflater?.destroy(error));
  const chunks: AsyncIterable<Buffer> = inflater ? raw.pipe(inflater) : raw;

  let produced = 0;
  let checksum = 0;
  try {
    for await (const chunk of chunks) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) {
        // Hand over what is within the declared size, so the outcome does not depend on chunking.
        const allowed = chunk.subarray(0, chunk.length - (produced - entry.uncompressedSize));
        if (allowed.length > 0) yield allowed;
        throw new ExportReadError(
          'zip-bomb',
          `${where} expands beyond the ${entry.uncompressedSize} bytes its header declares; refusing a possible zip bomb`,
        );
      }
      checksum = crc32(chunk, checksum);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ExportReadError) throw error;
    throw corrupt(archiveName, `${entry.name} is damaged (${reasonOf(error)})`, error);
  } finally {
    raw.destroy();
    inflater?.destroy();
  }
  if (produced !== entry.uncompressedSize) {
    throw corrupt(archiveName, `${entry.name} ends after ${produced} of its ${entry.uncompressedSize} bytes`);
  }
  if (checksum >>> 0 !== entry.crc32) {
    throw corrupt(archiveName, `${entry.name} fails its CRC-32 check`);
  }
}

function corrupt(archiveName: string, detail: string, cause?: unknown): ExportReadError {
  return new ExportReadError('corrupt-zip', `${archiveName} is a damaged ZIP archive: ${detail}`, { cause });
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 120);
}
