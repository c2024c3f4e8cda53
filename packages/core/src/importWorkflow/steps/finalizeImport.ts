// Finalize: decide how the import ended, write the full failure report, mirror (only when asked
// AND complete), move the user's conversations still in an earlier layout to the current one
// (within the time the Lambda has left, under the lock: migrateUserLayout.ts), end the job,
// release the lock, delete the work files. A retried Finalize after
// the job ended only repeats the release and the cleanup: the report is never rewritten from
// work files that may already be gone.

import { objectKeys } from '../../archive/objectKeys';
import { isFinalStatus, type FinalJobStatus, type JobFailure } from '../job/importJob';
import { ImportLockLost, releaseImportLock, renewImportLock } from '../job/importLock';
import { importLockLeaseSeconds } from './acquireLock';
import { migrateUserLayout, type UserLayoutMigrationResult } from '../../archive/migrateUserLayout';
import { finishJob, getJob, startStage } from '../job/jobRepository';
import { decideOutcome } from '../job/jobOutcome';
import { writeFailureReport } from '../job/failureReport';
import { deleteConversationsNotIn, type MirrorDeleteResult } from '../../archive/deleteConversationsNotIn';
import type { ChunkFailures } from './chunkManifest';
import { jobContextOf, logImport, storeContextOf, type ImportContext } from '../importContext';
import type { FinalizeInput } from '../importWorkflowState';
import { failedChunksOfMapRun, type FailedChunk } from './mapRunResults';
import { keysUnderPrefix } from '../../aws/objectsUnderPrefix';
import { causeMessage } from './caughtErrorText';
import { readJsonLines, readJsonObject } from './s3JsonObjects';
import { deleteWorkFiles } from './workCleanup';

export interface FinalizeOutput {
  status: FinalJobStatus;
  reason: string | null;
  reportKey: string | null;
  failedChunks: number;
  /** What mirror mode deleted; null when it did not run. */
  mirrored: MirrorDeleteResult | null;
}

export interface FinalizeOptions {
  /** Milliseconds the invocation has left (Lambda's `getRemainingTimeInMillis`); without it nothing is migrated. */
  timeLeftMs?: () => number;
  /** Kept for Finalize's own work after the migration (default 60 s of the Task's 300). */
  migrationReserveMs?: number;
}

/** What Finalize keeps for ending the job and deleting the work files once the migration stops. */
export const defaultMigrationReserveMs = 60_000;

export async function finalizeImport(ctx: ImportContext, input: FinalizeInput, options: FinalizeOptions = {}): Promise<FinalizeOutput> {
  const { importId, userId } = input;
  const job = { userId, importId };
  const jobCtx = jobContextOf(ctx);
  // Entering FINALIZING first: from here the job refuses late chunk results, so the counters read
  // below are final.
  await startStage(jobCtx, job, 'FINALIZING');
  const current = await getJob(jobCtx, job);
  if (!current) throw new Error(`import ${importId} of user ${userId} has no job`);

  if (isFinalStatus(current.status)) {
    await releaseImportLock(jobCtx, userId, importId);
    await deleteWorkFiles(ctx, importId, input.processed);
    return { status: current.status, reason: current.error, reportKey: current.report_key, failedChunks: 0, mirrored: null };
  }

  const failedChunks = input.processed ? await failedChunksOfMapRun(ctx.clients.s3, input.processed) : [];
  const lostChunks = Math.max(failedChunks.length, current.chunks_total - current.chunks_done);
  const outcome = decideOutcome(current, lostChunks);

  const failureFiles: string[] = [];
  for await (const key of keysUnderPrefix(ctx.clients.s3, ctx.resources.bucket, objectKeys.failuresPrefix(importId))) failureFiles.push(key);
  let reportKey: string | null = null;
  if (failureFiles.length > 0 || failedChunks.length > 0) {
    reportKey = (await writeFailureReport(jobCtx, userId, importId, reportEntries(ctx, failureFiles, failedChunks))).key;
  }

  // Mirror deletes every stored conversation the export lacks: only an export read and written
  // in full may say what "lacks" means.
  const complete =
    outcome.status === 'SUCCEEDED' && current.counts.conversations_failed === 0 && lostChunks === 0 &&
    current.missing_shards.length === 0 &&
    current.read_errors.length === 0;
  let mirrored: MirrorDeleteResult | null = null;
  if (current.options.mirror && complete) {
    const ids = readJsonLines<string>(ctx.clients.s3, ctx.resources.bucket, objectKeys.conversationIds(importId));
    mirrored = await deleteConversationsNotIn(storeContextOf(ctx), userId, ids);
  } else if (current.options.mirror) {
    logImport(ctx, 'mirror skipped: the import is not complete', { importId, status: outcome.status });
  }

  const migrated = options.timeLeftMs ? await migrateLayoutUnderLock(ctx, input, options.timeLeftMs, options.migrationReserveMs ?? defaultMigrationReserveMs) : null;

  const finished = await finishJob(jobCtx, job, outcome.status, {
    ...(outcome.reason !== null ? { error: outcome.reason } : {}),
    ...(reportKey !== null ? { reportKey } : {}),
    ...(migrated ? { counts: { conversations_migrated: migrated.conversations_migrated } } : {}),
  });
  if (!finished.applied) logImport(ctx, 'job not finished by Finalize', { importId, reason: finished.reason });
  await releaseImportLock(jobCtx, userId, importId);
  await deleteWorkFiles(ctx, importId, input.processed);
  return { status: outcome.status, reason: outcome.reason, reportKey, failedChunks: failedChunks.length, mirrored };
}

/**
 * The user's layout migration, only while this import provably holds the lock: the lease is
 * renewed first (an hour, far past Finalize's timeout), and a lost lock skips it — unlike the
 * import's own writes, the migration is not safe against a concurrent import of the user. Its
 * failures never fail the import: what is not migrated stays readable, and the next import resumes.
 */
async function migrateLayoutUnderLock(
  ctx: ImportContext,
  input: FinalizeInput,
  timeLeftMs: () => number,
  reserveMs: number,
): Promise<UserLayoutMigrationResult | null> {
  const { importId, userId } = input;
  try {
    await renewImportLock(jobContextOf(ctx), userId, importId, importLockLeaseSeconds);
  } catch (error) {
    // Lost, or not renewable now (throttled past the retries): either way not provably held.
    const reason = error instanceof ImportLockLost ? 'the import lock is lost' : `the import lock could not be renewed (${error instanceof Error ? error.message : String(error)})`;
    logImport(ctx, `layout migration skipped: ${reason}`, { importId, userId });
    return null;
  }
  const result = await migrateUserLayout(storeContextOf(ctx), userId, { timeLeftMs, reserveMs });
  if (result.conversations_migrated > 0 || result.stopped_by_budget || result.stopped_by_error || result.failures.length > 0) {
    logImport(ctx, 'layout migration', {
      importId,
      userId,
      done: result.done,
      stoppedByBudget: result.stopped_by_budget,
      conversationsMigrated: result.conversations_migrated,
      ...(result.stopped_by_error ? { stoppedByError: result.stopped_by_error } : {}),
      failures: result.failures.slice(0, 10),
    });
  }
  return result;
}

/** The report's entries, streamed: one failures file in memory at a time, then the lost chunks. */
async function* reportEntries(ctx: ImportContext, failureFiles: readonly string[], failedChunks: readonly FailedChunk[]): AsyncGenerator<JobFailure> {
  for (const key of failureFiles) {
    yield* (await readJsonObject<ChunkFailures>(ctx.clients.s3, ctx.resources.bucket, key)) ?? [];
  }
  for (const chunk of failedChunks) {
    const which = chunk.chunk === null ? 'a chunk' : `chunk ${chunk.chunk}`;
    yield { conversation_id: null, reason: `${which} could not be imported (${chunk.error}${chunk.cause ? `: ${causeMessage(chunk.cause)}` : ''})` };
  }
}
