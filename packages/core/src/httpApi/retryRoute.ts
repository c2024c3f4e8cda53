// POST /imports/{id}/retry: retry a PARTIAL or interrupted import (see importing/retryImport).
// 202 with how it was retried; the page then follows the import the body names. A refusal is a
// RetryRefused, whose kind gives the status (404, 409, 410).

import { retryImport } from '../importWorkflow/steps/retryImport';
import { ApiError } from './apiError';
import type { RouteHandler } from './apiTypes';
import { requireJob } from './importRoutes';
import type { ApiResponseBodies } from './apiResponses';

export const retryImportRoute: RouteHandler = async (ctx, request, params) => {
  const job = await requireJob(ctx, request.user.userId, params.id!);
  const workflowArn = ctx.workflowArn();
  if (!workflowArn) throw new ApiError(501, 'this deployment cannot start imports from the API');
  const outcome = await retryImport(ctx, { userId: job.user_id, importId: job.import_id }, { workflowArn });
  return { statusCode: 202, body: outcome satisfies ApiResponseBodies['POST /imports/{id}/retry'] };
};
