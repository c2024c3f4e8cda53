// GET /imports/{id}/execution: the import's workflow execution as a timeline. The same SFN
// client calls work on AWS and locally (AWS_ENDPOINT_URL_SFN points at the local endpoint).

import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { executionArnOf, executionConsoleUrl } from '../importWorkflow/executionArns';
import { ApiError, notFound } from './apiError';
import type { RouteHandler } from './apiTypes';
import { executionTimeline } from './executionTimeline';
import { requireJob } from './importRoutes';
import type { ApiResponseBodies } from './apiResponses';

/** 25,000 events is AWS's cap per execution; ours stay far below. Bounded all the same. */
const maxHistoryPages = 10;

export const getImportExecution: RouteHandler = async (ctx, request, params) => {
  const job = await requireJob(ctx, request.user.userId, params.id!);
  const workflowArn = ctx.workflowArn();
  if (!workflowArn) throw new ApiError(501, 'this deployment does not expose workflow executions');
  const executionArn = executionArnOf(workflowArn, job.import_id);
  let execution;
  try {
    execution = await ctx.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ExecutionDoesNotExist') {
      throw notFound(
        job.status === 'QUEUED'
          ? 'the workflow has not started for this import yet'
          : 'no workflow execution is recorded for this import',
      );
    }
    throw error;
  }
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken && ++pages < maxHistoryPages);
  return {
    statusCode: 200,
    body: {
      executionArn,
      status: execution.status ?? 'UNKNOWN',
      startDate: execution.startDate?.toISOString() ?? null,
      stopDate: execution.stopDate?.toISOString() ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      consoleUrl: request.user.local ? null : executionConsoleUrl(ctx.region, executionArn),
      // A Distributed Map's items are the import's chunks; the job counts them as they finish.
      mapProgress: { done: job.chunks_done, total: job.chunks_total },
      steps: executionTimeline(events),
      eventCount: events.length,
      truncated: Boolean(nextToken),
    } satisfies ApiResponseBodies['GET /imports/{id}/execution'],
  };
};
