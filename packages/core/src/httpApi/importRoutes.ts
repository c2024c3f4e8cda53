// POST /imports, POST /imports/{id}/complete, GET /imports, GET /imports/{id}, GET /imports/{id}/report.

import { isSafeKeySegment } from '../archive/objectKeys';
import { createImportUpload } from '../importWorkflow/upload/createImportUpload';
import { jobContextOf } from '../importWorkflow/importContext';
import { completeMultipartUpload, defaultUploadLimits, IncompleteUpload, type UploadedPart } from '../importWorkflow/upload/multipartUpload';
import { readFailureReport } from '../importWorkflow/job/failureReport';
import { getJob, markJobFailed } from '../importWorkflow/job/jobRepository';
import { listJobs } from '../importWorkflow/job/jobListing';
import type { ImportJob } from '../importWorkflow/job/importJob';
import { badRequest, notFound } from './apiError';
import type { ApiContext, RouteHandler } from './apiTypes';
import { pageQueryOf } from './pageQuery';
import { jsonBodyOf } from './requestBody';
import type { ApiResponseBodies } from './apiResponses';

/**
 * Body: `{ fileName, bytes, mirror? }`. Returns the QUEUED job and the one upload it admits: a
 * presigned POST, or above 5 GB a multipart upload (`multipart`: a URL per part).
 */
export const createImport: RouteHandler = async (ctx, request) => {
  const body = jsonBodyOf(request.body);
  if (typeof body.fileName !== 'string' || body.fileName.trim() === '') throw badRequest('fileName (the export\'s file name) is required');
  if (typeof body.bytes !== 'number') throw badRequest('bytes (the export\'s size) is required');
  if (body.mirror !== undefined && typeof body.mirror !== 'boolean') throw badRequest('mirror must be true or false');
  const created = await createImportUpload(ctx, {
    userId: request.user.userId,
    fileName: body.fileName,
    bytes: body.bytes,
    options: { mirror: body.mirror ?? false },
  }, ctx.uploadLimits ?? defaultUploadLimits);
  return {
    statusCode: 201,
    body: { importId: created.importId, upload: created.upload, multipart: created.multipart, expiresAt: created.expiresAt, job: created.job } satisfies ApiResponseBodies['POST /imports'],
  };
};

/**
 * Body: `{ uploadId, parts: [{ partNumber, etag }] }`. Completes a multipart upload; an upload
 * that is not exactly the declared file fails the job with the reason.
 */
export const completeImportUpload: RouteHandler = async (ctx, request, params) => {
  const body = jsonBodyOf(request.body);
  if (typeof body.uploadId !== 'string' || body.uploadId === '') throw badRequest('uploadId is required');
  const parts = Array.isArray(body.parts) ? body.parts : null;
  const valid = parts?.every((part) => Number.isSafeInteger((part as UploadedPart)?.partNumber) && typeof (part as UploadedPart)?.etag === 'string');
  if (!parts || !valid) throw badRequest('parts must list { partNumber, etag } for every part');
  const job = await requireJob(ctx, request.user.userId, params.id!);
  if (job.status !== 'QUEUED') throw badRequest(`this import's upload is already complete (it is ${job.status})`);
  try {
    await completeMultipartUpload(ctx, job.source.key, body.uploadId, job.source.bytes, parts as UploadedPart[], ctx.uploadLimits ?? defaultUploadLimits);
  } catch (error) {
    // An object of the wrong size was deleted: this upload can no longer complete.
    if (error instanceof IncompleteUpload && error.objectDeleted) await markJobFailed(jobContextOf(ctx), { userId: request.user.userId, importId: job.import_id }, error.message);
    throw error;
  }
  return { statusCode: 200, body: { importId: job.import_id, completed: true } satisfies ApiResponseBodies['POST /imports/{id}/complete'] };
};

export const listImports: RouteHandler = async (ctx, request) => {
  const page = pageQueryOf(request.query, 100);
  const { jobs, cursor } = await listJobs(jobContextOf(ctx), request.user.userId, page);
  return { statusCode: 200, body: { items: jobs, cursor } satisfies ApiResponseBodies['GET /imports'] };
};

export const getImport: RouteHandler = async (ctx, request, params) => {
  return { statusCode: 200, body: (await requireJob(ctx, request.user.userId, params.id!)) satisfies ApiResponseBodies['GET /imports/{id}'] };
};

/** The full failure list (the job item keeps only the first ones). */
export const getImportReport: RouteHandler = async (ctx, request, params) => {
  const job = await requireJob(ctx, request.user.userId, params.id!);
  if (!job.report_key) throw notFound('this import has no failure report (it has not finished, or nothing failed)');
  const report = await readFailureReport(jobContextOf(ctx), request.user.userId, job.import_id);
  if (!report) throw notFound('the failure report of this import is missing');
  return { statusCode: 200, body: report satisfies ApiResponseBodies['GET /imports/{id}/report'] };
};

export async function requireJob(ctx: ApiContext, userId: string, importId: string): Promise<ImportJob> {
  if (!isSafeKeySegment(importId)) throw notFound(`no import ${JSON.stringify(importId)}`);
  const job = await getJob(jobContextOf(ctx), { userId, importId });
  if (!job) throw notFound(`no import ${JSON.stringify(importId)}`);
  return job;
}
