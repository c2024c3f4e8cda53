// Adding one chunk's counters to the job exactly once: the job item's update and a marker item
// for the chunk go in one transaction, the marker on condition it does not exist yet.

import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { inlineFailureLimit, jobCountNames, type JobCounts, type JobFailure } from './importJob';
import { defaultRetryBackoff, fullJitterDelay, type RetryBackoff } from '../../aws/retryBackoff';
import { acceptsChunks, stagesAcceptingChunks } from './jobTransitions';
import { chunkResultItemKey, importsTableAttributes, jobItemKey, type JobKey } from './importsTableKeys';
import { cappedProblems, inlineFailure } from './jobItem';
import { getJob } from './jobRepository';
import { currentTime, type JobStoreContext } from './jobStoreContext';
import { UpdateBuilder } from './updateExpression';

/** What one chunk adds to the job. `conversations_total` is the split's to set, not a chunk's. */
export type ChunkCounts = Partial<Omit<JobCounts, 'conversations_total'>>;

export interface ChunkResult {
  counts: ChunkCounts;
  failures?: readonly JobFailure[];
  /** Files the chunk could not copy or type, one sentence each. */
  assetProblems?: readonly string[];
}

export type ChunkRecordOutcome =
  | { recorded: true }
  /** duplicate: this chunk was already counted. job-not-processing: the job left PROCESSING (or never got there). */
  | { recorded: false; reason: 'duplicate' | 'job-not-processing' | 'not-found' };

/** Chunk markers outlive any run; TTL removes them later (they only matter while a job runs). */
const chunkMarkerLifetimeSeconds = 30 * 24 * 3600;
/**
 * Chunks finishing together conflict on the job item's transaction: retry soon, with full jitter
 * so they spread out (the store's one backoff policy, with short waits).
 */
const chunkConflictBackoff: RetryBackoff = { ...defaultRetryBackoff, maxAttempts: 60, baseMs: 10, capMs: 200 };

/**
 * Adds one chunk's counters to the job, exactly once: a marker item for the chunk is put in the
 * same transaction, on condition it does not exist, so a retried chunk changes nothing. The
 * first `inlineFailureLimit` failures are appended to the job item; the append is conditional on
 * the list length read just before (concurrent chunks retry), which keeps the cap exact.
 */
export async function recordChunkResult(
  ctx: JobStoreContext,
  job: JobKey,
  chunkIndex: number,
  result: ChunkResult,
): Promise<ChunkRecordOutcome> {
  const failures = (result.failures ?? []).map(inlineFailure);
  for (let attempt = 1; ; attempt++) {
    let inlineCount: number | null = null;
    if (failures.length > 0) {
      const current = await getJob(ctx, job);
      if (!current) return { recorded: false, reason: 'not-found' };
      inlineCount = current.failures.length;
    }
    const room = inlineCount === null ? 0 : Math.max(0, inlineFailureLimit - inlineCount);
    try {
      await ctx.clients.dynamo.send(
        chunkTransaction(ctx, job, chunkIndex, result.counts, failures, room > 0 ? inlineCount : null, failures.slice(0, room), cappedProblems(result.assetProblems ?? [])),
      );
      return { recorded: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [marker, jobItem] = error.CancellationReasons ?? [];
      if (marker?.Code === 'ConditionalCheckFailed') return { recorded: false, reason: 'duplicate' };
      if (jobItem?.Code === 'ConditionalCheckFailed') {
        const current = await getJob(ctx, job);
        if (!current) return { recorded: false, reason: 'not-found' };
        if (!acceptsChunks(current)) return { recorded: false, reason: 'job-not-processing' };
        // Otherwise another chunk appended failures since we read the list: read again.
      } else if (!isConflict(error.CancellationReasons)) {
        throw error;
      }
      if (attempt >= chunkConflictBackoff.maxAttempts) throw error;
      await chunkConflictBackoff.sleep(fullJitterDelay(attempt - 1, chunkConflictBackoff));
    }
  }
}

function chunkTransaction(
  ctx: JobStoreContext,
  job: JobKey,
  chunkIndex: number,
  counts: ChunkCounts,
  failures: readonly JobFailure[],
  expectedInlineCount: number | null,
  appended: readonly JobFailure[],
  assetProblems: readonly string[],
): TransactWriteCommand {
  const now = currentTime(ctx);
  const update = new UpdateBuilder();
  for (const name of jobCountNames) {
    if (name === 'conversations_total') continue;
    const amount = counts[name] ?? 0;
    if (amount !== 0) update.add(`counts.${name}`, amount);
  }
  update.add('chunks_done', 1).set('updated_at', now.toISOString());
  update.condition(
    `${update.name('status')} = ${update.value('RUNNING')} AND ${update.name('stage')} IN (${stagesAcceptingChunks.map((s) => update.value(s)).join(', ')})`,
  );
  if (appended.length > 0 && expectedInlineCount !== null) {
    const failuresName = update.name('failures');
    update.setExpression(`${failuresName} = list_append(${failuresName}, ${update.value(appended)})`);
    update.condition(`size(${failuresName}) = ${update.value(expectedInlineCount)}`);
  }
  if (assetProblems.length > 0) {
    const problemsName = update.name('asset_problems');
    update.setExpression(`${problemsName} = list_append(if_not_exists(${problemsName}, ${update.value([])}), ${update.value([...assetProblems])})`);
  }
  return new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: ctx.tables.Imports,
          Item: {
            ...chunkResultItemKey(job, chunkIndex),
            import_id: job.importId,
            chunk_index: chunkIndex,
            counts,
            failures_count: failures.length,
            recorded_at: now.toISOString(),
            [importsTableAttributes.expiresAt]: Math.floor(now.getTime() / 1000) + chunkMarkerLifetimeSeconds,
          },
          ConditionExpression: `attribute_not_exists(${importsTableAttributes.partitionKey})`,
        },
      },
      { Update: { TableName: ctx.tables.Imports, Key: jobItemKey(job), ...update.build() } },
    ],
  });
}

function isConflict(reasons: CancellationReason[] | undefined): boolean {
  return (reasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
}
