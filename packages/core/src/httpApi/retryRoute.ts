// POST /imports/{id}/retry: retry a PARTIAL or interrupted import (see importing/retryImport).
// 202 with how it was retried; the page then follows the import the body names.

import { retryImport, RetryRefused } from '../importWorkflow/steps/retryImport';
import { ApiError, notFound } from './apiError';
import type { RouteHandler } from './apiTypes';
import { requireJob } from './importRoutes';
import type { ApiResponseBodies } from './apiResponses';

const refusalStatus = { 'not-found': 404, 'not-retryable': 409, busy: 409, 'upload-gone': 410 } as const;

export const retryImportRoute: RouteHandler = async (ctx, request, params) => {
  const job = await requireJob(ctx, request.user.userId, params.id!);
  const workflowArn = ctx.workflowArn();
  if (!workflowArn) throw new ApiError(501, 'this deployment cannot start imports from the API');
  try {
    const outcome = await retryImport(ctx, { userId: job.user_id, importId: job.import_id }, { workflowArn });
    return { statusCode: 202, body: outcome satisfies ApiResponseBodies['POST /imports/{id}/retry'] };
  } catch (error) {
    if (!(error instanceof RetryRefused)) throw error;
    if (error.kind === 'not-found') throw notFound(error.message);
    throw new ApiError(refusalStatus[error.kind], error.message);
  }
};
