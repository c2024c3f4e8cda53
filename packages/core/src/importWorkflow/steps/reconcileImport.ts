// An import whose execution ended without recording an outcome (stopped, timed out, the local
// system died: Catch never ran, so MarkFailed never did) is finished here: its job FAILED with a
// reason the user understands, its lock released so the user's next import starts at once.
// Work files are kept: a redriven execution resumes from them (the bucket's lifecycle expires them).

import { interruptionReason, type ObservedExecution } from '../job/executionInterruption';
import { isFinalStatus } from '../job/importJob';
import { releaseImportLock } from '../job/importLock';
import { getJob, markJobInterrupted } from '../job/jobRepository';
import type { JobKey } from '../job/importsTableKeys';
import { jobContextOf, logImport, type ImportContext } from '../importContext';

export type ReconcileOutcome =
  | { outcome: 'running' }
  /** The job had ended on its own (a FAILED execution went through MarkFailed): nothing to do. */
  | { outcome: 'already-ended' }
  | { outcome: 'interrupted'; reason: string; recorded: boolean; lockReleased: boolean };

/**
 * Decides from the execution as observed (DescribeExecution, or a status-change event) whether the
 * import is over. A job that already ended keeps its outcome; its lock, if still held, is released.
 */
export async function reconcileImport(ctx: ImportContext, key: JobKey, execution: ObservedExecution): Promise<ReconcileOutcome> {
  const jobCtx = jobContextOf(ctx);
  const job = await getJob(jobCtx, key);
  const reason = interruptionReason(execution, job ?? { status: 'RUNNING' });
  if (reason === null) return { outcome: 'running' };
  let recorded = false;
  if (job && !isFinalStatus(job.status)) {
    const result = await markJobInterrupted(jobCtx, key, reason);
    recorded = result.applied;
    if (!result.applied) logImport(ctx, 'interrupted job not marked FAILED', { ...key, reason: result.reason });
  }
  const lockReleased = await releaseImportLock(jobCtx, key.userId, key.importId);
  if (!recorded && !lockReleased) return { outcome: 'already-ended' };
  logImport(ctx, 'import interrupted', { ...key, status: execution.status, reason, recorded, lockReleased });
  return { outcome: 'interrupted', reason, recorded, lockReleased };
}
