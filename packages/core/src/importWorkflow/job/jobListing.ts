// Listing jobs: a user's, newest first a page at a time (the cursor names the last job
// returned), and every user's unfinished ones for the local system's start-up check.

import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../../archive/pageCursor';
import type { ImportJob } from './importJob';
import { importsTableAttributes, importsTableKeys, type JobKey } from './importsTableKeys';
import { jobFromItem, summaryAttributes } from './jobItem';
import type { JobStoreContext } from './jobStoreContext';

const { partitionKey, sortKey } = importsTableAttributes;

export type ImportJobSummary = Omit<ImportJob, 'failures'>;

/**
 * A user's jobs, newest first. Import ids carry no order we may rely on, so the user's job
 * items are read whole (without their failure lists: about 1 KB each) and sorted by created_at;
 * the cursor names the last job returned.
 */
export async function listJobs(
  ctx: JobStoreContext,
  userId: string,
  page: { limit?: number; cursor?: string | null } = {},
): Promise<{ jobs: ImportJobSummary[]; cursor: string | null }> {
  const limit = Math.max(1, Math.min(100, page.limit ?? 20));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const projected = summaryAttributes.map((_, i) => `#a${i}`);
  const names = Object.fromEntries(summaryAttributes.map((name, i) => [`#a${i}`, name]));
  const all: ImportJobSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const response = await ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.tables.Imports,
        KeyConditionExpression: `${partitionKey} = :pk AND begins_with(${sortKey}, :prefix)`,
        ExpressionAttributeValues: { ':pk': importsTableKeys.partition(userId), ':prefix': importsTableKeys.jobPrefix },
        ExpressionAttributeNames: names,
        ProjectionExpression: projected.join(', '),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of response.Items ?? []) {
      const { failures: _failures, ...summary } = jobFromItem(item);
      all.push(summary);
    }
    startKey = response.LastEvaluatedKey;
  } while (startKey);
  all.sort(newestFirst);
  const remaining = after ? all.filter((job) => newestFirst(job, { created_at: after[0], import_id: after[1] }) > 0) : all;
  const jobs = remaining.slice(0, limit);
  const last = jobs[jobs.length - 1];
  return { jobs, cursor: remaining.length > limit && last ? encodeCursor([last.created_at, last.import_id]) : null };
}

/**
 * Every user's QUEUED or RUNNING jobs (keys only). A whole-table Scan: for the local system's
 * start-up check, never on a request path.
 */
export async function listUnfinishedJobs(ctx: JobStoreContext): Promise<(JobKey & { status: 'QUEUED' | 'RUNNING' })[]> {
  const found: (JobKey & { status: 'QUEUED' | 'RUNNING' })[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.clients.dynamo.send(
      new ScanCommand({
        TableName: ctx.tables.Imports,
        FilterExpression: `begins_with(${sortKey}, :prefix) AND #status IN (:queued, :running)`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':prefix': importsTableKeys.jobPrefix, ':queued': 'QUEUED', ':running': 'RUNNING' },
        ProjectionExpression: 'user_id, import_id, #status',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({ userId: String(item.user_id), importId: String(item.import_id), status: item.status as 'QUEUED' | 'RUNNING' });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

function newestFirst(a: Pick<ImportJob, 'created_at' | 'import_id'>, b: Pick<ImportJob, 'created_at' | 'import_id'>): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.import_id === b.import_id ? 0 : a.import_id < b.import_id ? 1 : -1;
}

function encodeCursor(position: [string, string]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the job list cursor is not JSON');
  }
  if (!Array.isArray(position) || position.length !== 2 || !position.every((part) => typeof part === 'string')) {
    throw new InvalidCursorError('the job list cursor is not a position');
  }
  return [position[0], position[1]];
}
