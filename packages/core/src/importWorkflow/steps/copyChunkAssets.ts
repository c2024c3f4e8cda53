// Copies the files a chunk was assigned from the uploaded ZIP into the archive, content-addressed
// (archive/<userId>/assets/<sha256>), never holding a whole file in memory:
//   1. a file already stored from the same ZIP entry (same file id, size and CRC-32) is
//      unchanged without reading a byte — a re-import writes nothing;
//   2. otherwise its byte range is streamed once to hash it (sha256) and sniff its type;
//   3. bytes already stored (another file id, an earlier export) are not written again;
//   4. new bytes are streamed a second time into S3 — one streaming PutObject up to 5 GB
//      (measured faster than a multipart upload, and it buffers nothing), multipart with parts in
//      parallel above — the sha256 checked again on the way (an object whose bytes turn out
//      different is deleted); then the holder and file items are committed.
// The entry is held to its declared size and CRC while inflating (readZipEntry), so a file that
// inflates past its header, or is damaged, is a problem line and nothing is stored for it.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { objectKeys } from '../../archive/objectKeys';
import { s3ObjectSource } from '../../aws/s3ObjectSource';
import { assetMimeType, MIME_SNIFF_BYTES } from '../../chatgptExport/assetMimeType';
import type { ByteSource } from '../../chatgptExport/byteSource';
import { ExportReadError } from '../../chatgptExport/exportReadError';
import { readZipEntry, type ZipEntry } from '../../chatgptExport/zipArchive';
import { commitStoredFile, getStoredFiles, type StoredFile } from '../../archive/assetFiles';
import { isFileId } from '../../archive/assetKeys';
import type { ChunkAssetPlan, PlannedAssetFile } from './chunkAssetPlan';
import { storeContextOf, type ImportContext } from '../importContext';
import type { JobCounts } from '../job/importJob';

/** Counted under the job's names (importJob.ts), so the chunk adds them as they are. */
export type AssetCopyCounts = Pick<JobCounts, 'assets_stored' | 'assets_unchanged' | 'asset_bytes_stored'>;

export interface AssetCopyResult {
  counts: AssetCopyCounts;
  problems: string[];
}

export function noAssetsCopied(): AssetCopyResult {
  return { counts: { assets_stored: 0, assets_unchanged: 0, asset_bytes_stored: 0 }, problems: [] };
}

export const ASSET_UPLOAD_PART_BYTES = 64 * 1024 * 1024;
/** S3's largest single PutObject. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const UPLOAD_PARTS_IN_FLIGHT = 4;
const FILES_IN_FLIGHT = 4;

export async function copyChunkAssets(ctx: ImportContext, userId: string, importId: string, plan: ChunkAssetPlan): Promise<AssetCopyResult> {
  const result = noAssetsCopied();
  const files = plan.files.filter((file) => isFileId(file.fileId));
  if (files.length === 0) return result;
  const source = s3ObjectSource(ctx.clients.s3, ctx.resources.bucket, plan.archiveKey, plan.archiveName);
  const stored = await getStoredFiles(storeContextOf(ctx), userId, files.map((file) => file.fileId));
  // Two files of the chunk with the same bytes: the first writes them, the other waits for it.
  const uploads = new Map<string, Promise<boolean>>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await copyOne(ctx, userId, importId, source, plan.archiveName, file, stored.get(file.fileId), result, uploads);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, files.length) }, worker));
  return result;
}

async function copyOne(
  ctx: ImportContext,
  userId: string,
  importId: string,
  source: ByteSource,
  archiveName: string,
  file: PlannedAssetFile,
  existing: StoredFile | undefined,
  result: AssetCopyResult,
  uploads: Map<string, Promise<boolean>>,
): Promise<void> {
  const { entry } = file;
  if (existing && existing.zip_crc32 === entry.crc32 && existing.bytes === entry.uncompressedSize) {
    result.counts.assets_unchanged++;
    return;
  }
  let scanned: { sha256: string; head: Buffer };
  try {
    scanned = await hashEntry(source, entry, archiveName);
  } catch (error) {
    if (error instanceof ExportReadError) {
      result.problems.push(`${error.message}; the file was not copied`);
      return;
    }
    throw error;
  }
  if (existing && existing.sha256 !== scanned.sha256) {
    result.problems.push(`${archiveName}: ${entry.name} differs from the file ${file.fileId} already archived; kept the archived one`);
    return;
  }
  const sniffed = await assetMimeType(scanned.head, file.name);
  if (sniffed.source === 'unknown') {
    result.problems.push(`${archiveName}: ${entry.name} matches no known file type; kept as application/octet-stream`);
  }
  const key = objectKeys.asset(userId, scanned.sha256);
  const pending = uploads.get(scanned.sha256);
  let written = false;
  if (pending) {
    if (!(await pending.catch(() => false)) && !(await objectExists(ctx, key))) return;
  } else {
    const upload = (async () => {
      if (await objectExists(ctx, key)) return false;
      await uploadEntry(ctx, key, source, entry, archiveName, scanned.sha256, sniffed.mimeType);
      return true;
    })();
    uploads.set(scanned.sha256, upload);
    try {
      written = await upload;
    } catch (error) {
      if (error instanceof ExportReadError) {
        result.problems.push(`${error.message}; the file was not copied`);
        return;
      }
      throw error;
    }
  }
  const committed = await commitStoredFile(storeContextOf(ctx), userId, {
    file_id: file.fileId,
    sha256: scanned.sha256,
    name: file.name,
    mime_type: sniffed.mimeType,
    bytes: entry.uncompressedSize,
    zip_crc32: entry.crc32,
    import_id: importId,
  });
  if (!committed) {
    result.problems.push(`${archiveName}: ${entry.name} differs from the file ${file.fileId} already archived; kept the archived one`);
  } else if (written) {
    result.counts.assets_stored++;
    result.counts.asset_bytes_stored += entry.uncompressedSize;
  } else {
    result.counts.assets_unchanged++;
  }
}

async function hashEntry(source: ByteSource, entry: ZipEntry, archiveName: string): Promise<{ sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of readZipEntry(source, entry, archiveName)) {
    hash.update(chunk);
    if (headBytes < MIME_SNIFF_BYTES) {
      head.push(chunk.subarray(0, MIME_SNIFF_BYTES - headBytes));
      headBytes += head[head.length - 1]!.length;
    }
  }
  return { sha256: hash.digest('hex'), head: Buffer.concat(head) };
}

async function uploadEntry(
  ctx: ImportContext,
  key: string,
  source: ByteSource,
  entry: ZipEntry,
  archiveName: string,
  sha256: string,
  mimeType: string,
): Promise<void> {
  const hash = createHash('sha256');
  async function* hashed() {
    for await (const chunk of readZipEntry(source, entry, archiveName)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const bucket = ctx.resources.bucket;
  try {
    if (entry.uncompressedSize <= MAX_PUT_BYTES) {
      await ctx.clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(hashed()), ContentLength: entry.uncompressedSize, ContentType: mimeType }),
      );
    } else {
      await new Upload({
        client: ctx.clients.s3,
        params: { Bucket: bucket, Key: key, Body: Readable.from(hashed()), ContentType: mimeType },
        partSize: ASSET_UPLOAD_PART_BYTES,
        queueSize: UPLOAD_PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      }).done();
    }
  } catch (error) {
    // A stream that failed at its very end (CRC) may have been stored whole: never keep it.
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    throw error;
  }
  // The archive did not change between the two reads; if it had, the object must not stay.
  if (hash.digest('hex') !== sha256) {
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    throw new ExportReadError('corrupt-zip', `${archiveName}: ${entry.name} changed while it was copied`);
  }
}

async function objectExists(ctx: ImportContext, key: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: ctx.resources.bucket, Key: key }));
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'NotFound' || name === 'NoSuchKey' || status === 404) return false;
    throw error;
  }
}
