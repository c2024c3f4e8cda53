// First state of the workflow: one import at a time per user. A lock held by a live import
// throws ImportLockBusy, which the definition retries for about 15 minutes before giving up with
// a readable reason; a lock whose holder's execution is over (stopped, timed out, lost with the
// local system) is taken over at once, and the holder's job finished FAILED.

import { acquireImportLock, renewImportLock, ImportLockBusy, ImportLockLost, type ImportLockHolder } from '../job/importLock';
import { executionArnOf } from '../executionArns';
import { jobContextOf, logImport, type ImportContext } from '../importContext';
import { describeImportExecution } from './importExecution';
import type { AcquireLockInput, ImportExecutionInput } from '../importWorkflowState';
import { reconcileImport } from './reconcileImport';

/**
 * The lease outlives any gap between renewals (Split renews when it starts, every chunk when it
 * runs; Split itself is capped at 15 minutes), yet a holder that died without MarkFailed (an
 * aborted or timed-out execution) blocks the user's next import for at most this long.
 */
export const importLockLeaseSeconds = 60 * 60;

export interface AcquireLockOutput {
  importId: string;
  leaseUntil: string;
}

export async function acquireLock(ctx: ImportContext, input: AcquireLockInput): Promise<AcquireLockOutput> {
  const jobCtx = jobContextOf(ctx);
  let holder: ImportLockHolder;
  try {
    holder = await acquireImportLock(jobCtx, input.userId, input.importId, importLockLeaseSeconds);
  } catch (error) {
    if (!(error instanceof ImportLockBusy) || !error.holder || !input.workflowArn) throw error;
    const dead = error.holder;
    const execution = await describeImportExecution(ctx.clients.sfn, executionArnOf(input.workflowArn, dead.import_id));
    const reconciled = await reconcileImport(ctx, { userId: input.userId, importId: dead.import_id }, execution);
    if (reconciled.outcome === 'running') throw error;
    logImport(ctx, 'import lock taken over from an import that no longer runs', {
      importId: input.importId,
      from: dead.import_id,
      ...(reconciled.outcome === 'interrupted' ? { reason: reconciled.reason } : {}),
    });
    // Another waiting import may have taken it first: then this one is busy again and waits.
    holder = await acquireImportLock(jobCtx, input.userId, input.importId, importLockLeaseSeconds);
  }
  return { importId: holder.import_id, leaseUntil: new Date(holder.lease_until).toISOString() };
}

/**
 * Extends the lease while the import works. Losing the lock (it expired and another import took
 * it) does not stop this import: the store's conditional writes keep concurrent imports correct,
 * the lock only keeps them from competing. So it is logged, not thrown.
 */
export async function renewLockQuietly(ctx: ImportContext, input: Pick<ImportExecutionInput, 'importId' | 'userId'>): Promise<void> {
  try {
    await renewImportLock(jobContextOf(ctx), input.userId, input.importId, importLockLeaseSeconds);
  } catch (error) {
    if (!(error instanceof ImportLockLost)) throw error;
    logImport(ctx, 'import lock lost; continuing', { importId: input.importId, userId: input.userId });
  }
}
