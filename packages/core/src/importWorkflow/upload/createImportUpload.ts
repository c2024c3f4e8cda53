// The first step of an import, for the web API (POST /imports) and the CLI alike: create the
// QUEUED job with its options, and hand back a presigned POST that can only upload that one
// export to its fixed key — or, above S3's 5 GB POST limit, a multipart upload of that key with
// a presigned URL per part (multipartUpload.ts). The upload's ObjectCreated event then starts
// the workflow.

import { randomUUID } from 'node:crypto';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { isSafeKeySegment, objectKeys } from '../../archive/objectKeys';
import { createJob } from '../job/jobRepository';
import type { ImportJob, JobOptions } from '../job/importJob';
import { jobContextOf, type ImportContext } from '../importContext';
import { defaultUploadLimits, startMultipartUpload, type MultipartUploadPlan, type UploadLimits } from './multipartUpload';
import { domainError } from '../../errors/domainError';

/** The largest export we take: 50 GiB (multipart above 5 GB; the split reads only the conversations, chunks copy the files). */
export const maxUploadBytes = 50 * 1024 ** 3;
/** Long enough to start a large upload from a slow connection; S3 checks it when the POST begins. */
export const uploadExpirySeconds = 15 * 60;
export const multipartExpirySeconds = 24 * 3600;

export interface ImportUploadRequest {
  userId: string;
  /** The file name the user picked: `.zip` or `.json` decides the key's extension. */
  fileName: string;
  /** The file's exact size; the policy admits no other. */
  bytes: number;
  options?: Partial<JobOptions>;
}

export interface ImportUpload {
  importId: string;
  key: string;
  /** POST multipart/form-data to `url`: every field, then the file as the LAST part, named `file`. Null for a multipart upload. */
  upload: { url: string; fields: Record<string, string> } | null;
  /** Above the POST limit: PUT each part's bytes to its URL, then POST /imports/{id}/complete with the uploadId. */
  multipart: MultipartUploadPlan | null;
  expiresAt: string;
  job: ImportJob;
}

export class InvalidUploadRequest extends domainError('InvalidUploadRequest', 'input') {}

export function uploadExtensionOf(fileName: string): 'zip' | 'json' | null {
  const match = /\.(zip|json)$/i.exec(fileName.trim());
  return match ? (match[1]!.toLowerCase() as 'zip' | 'json') : null;
}

export async function createImportUpload(ctx: ImportContext, request: ImportUploadRequest, limits: UploadLimits = defaultUploadLimits): Promise<ImportUpload> {
  if (!isSafeKeySegment(request.userId)) throw new InvalidUploadRequest(`invalid user id: ${JSON.stringify(request.userId)}`);
  const extension = uploadExtensionOf(request.fileName);
  if (!extension) throw new InvalidUploadRequest('the export must be a .zip or a .json file');
  if (!Number.isSafeInteger(request.bytes) || request.bytes < 1 || request.bytes > maxUploadBytes) {
    throw new InvalidUploadRequest(`the file must be between 1 byte and ${maxUploadBytes / 1024 ** 3} GiB (got ${request.bytes} bytes)`);
  }
  // A UUID is a safe key segment and a valid execution name (≤ 80 chars, [A-Za-z0-9-]).
  const importId = randomUUID();
  const key = objectKeys.upload(request.userId, importId, extension);
  const { job } = await createJob(jobContextOf(ctx), {
    userId: request.userId,
    importId,
    source: { key, bytes: request.bytes, name: request.fileName },
    options: request.options,
  });
  const now = ctx.now ? ctx.now() : new Date();
  if (request.bytes > limits.multipartAboveBytes) {
    // Parts of a large upload may start long after the first: a day to send them all.
    const multipart = await startMultipartUpload(ctx, key, request.bytes, limits, multipartExpirySeconds);
    return { importId, key, upload: null, multipart, expiresAt: new Date(now.getTime() + multipartExpirySeconds * 1000).toISOString(), job };
  }
  const upload = await createPresignedPost(ctx.clients.s3, {
    Bucket: ctx.resources.bucket,
    Key: key,
    Conditions: [['content-length-range', request.bytes, request.bytes]],
    Expires: uploadExpirySeconds,
  });
  return {
    importId,
    key,
    upload,
    multipart: null,
    expiresAt: new Date(now.getTime() + uploadExpirySeconds * 1000).toISOString(),
    job,
  };
}
