// Uploads larger than S3's 5 GB POST limit go through S3 multipart: the server starts the
// upload on the import's one key and presigns a PUT URL per part (the client sends the parts in
// parallel, retrying a failed one, and keeps each part's ETag). Completing hands S3 exactly the
// planned parts — S3 checks each ETag against what it received — and then checks the object is
// exactly the declared size; one that is not is deleted before anything reads it, and the job
// fails with the reason. (ListParts would let us check before completing, but s3rver lacks it.)

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { domainError } from '../../errors/domainError';
import type { ImportContext } from '../importContext';

export interface UploadLimits {
  /** Above this, multipart (S3's POST limit: 5 GB). */
  multipartAboveBytes: number;
  /** The smallest part (S3's minimum is 5 MiB); parts grow so that there are at most 10,000. */
  minPartBytes: number;
}

export const defaultUploadLimits: UploadLimits = { multipartAboveBytes: 5 * 1024 ** 3, minPartBytes: 64 * 1024 ** 2 };
const MAX_PARTS = 10_000;

export interface PlannedPart {
  partNumber: number;
  /** Exact bytes of this part: the file's [offset, offset + bytes). */
  offset: number;
  bytes: number;
  url: string;
}

export interface MultipartUploadPlan {
  uploadId: string;
  partBytes: number;
  parts: PlannedPart[];
}

/** Part sizes for a file: equal parts of `partBytes`, the last one shorter. Pure. */
export function partLayout(totalBytes: number, limits: UploadLimits): { partBytes: number; parts: { partNumber: number; offset: number; bytes: number }[] } {
  const mib = 1024 ** 2;
  const partBytes = Math.max(limits.minPartBytes, Math.ceil(totalBytes / MAX_PARTS / mib) * mib);
  const parts = [];
  for (let offset = 0, partNumber = 1; offset < totalBytes; offset += partBytes, partNumber++) {
    parts.push({ partNumber, offset, bytes: Math.min(partBytes, totalBytes - offset) });
  }
  return { partBytes, parts };
}

export async function startMultipartUpload(
  ctx: ImportContext,
  key: string,
  totalBytes: number,
  limits: UploadLimits,
  expiresInSeconds: number,
): Promise<MultipartUploadPlan> {
  const bucket = ctx.resources.bucket;
  const { UploadId } = await ctx.clients.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  if (!UploadId) throw new Error('S3 did not start the multipart upload');
  const layout = partLayout(totalBytes, limits);
  const parts = await Promise.all(
    layout.parts.map(async (part) => ({
      ...part,
      url: await getSignedUrl(ctx.clients.s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: part.partNumber }), {
        expiresIn: expiresInSeconds,
      }),
    })),
  );
  return { uploadId: UploadId, partBytes: layout.partBytes, parts };
}

/**
 * The parts do not make the declared file. `objectDeleted`: they were assembled into an object of
 * the wrong size, which was deleted; the upload cannot be completed any more, so the job fails.
 */
export class IncompleteUpload extends domainError('IncompleteUpload', 'input') {
  constructor(
    message: string,
    readonly objectDeleted = false,
  ) {
    super(message);
  }
}

export interface UploadedPart {
  partNumber: number;
  /** The ETag S3 returned for the part's PUT. */
  etag: string;
}

/**
 * Completes the upload with exactly the planned parts, then holds the object to the declared
 * size (deleting it otherwise). Throws IncompleteUpload with what is wrong.
 */
export async function completeMultipartUpload(
  ctx: ImportContext,
  key: string,
  uploadId: string,
  totalBytes: number,
  parts: readonly UploadedPart[],
  limits: UploadLimits,
): Promise<void> {
  const bucket = ctx.resources.bucket;
  const expected = partLayout(totalBytes, limits).parts;
  const byNumber = new Map(parts.map((part) => [part.partNumber, part.etag]));
  const absent = expected.filter((part) => typeof byNumber.get(part.partNumber) !== 'string');
  if (absent.length > 0 || parts.length !== expected.length) {
    throw new IncompleteUpload(`the upload is incomplete: ${expected.length - absent.length} of ${expected.length} parts were sent${absent.length > 0 ? ` (part ${absent[0]!.partNumber} is missing)` : ''}`);
  }
  try {
    await ctx.clients.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: expected.map((part) => ({ PartNumber: part.partNumber, ETag: byNumber.get(part.partNumber)! })) },
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload', 'MalformedXML'].includes(name)) {
      throw new IncompleteUpload(`S3 refused to assemble the upload (${name}): ${(error as Error).message}`);
    }
    throw error;
  }
  const head = await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (head.ContentLength !== totalBytes) {
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    throw new IncompleteUpload(`the uploaded parts add up to ${head.ContentLength} bytes, not the ${totalBytes} declared; upload the file again`, true);
  }
}

export async function abortMultipartUpload(ctx: ImportContext, key: string, uploadId: string): Promise<void> {
  await ctx.clients.s3.send(new AbortMultipartUploadCommand({ Bucket: ctx.resources.bucket, Key: key, UploadId: uploadId }));
}
