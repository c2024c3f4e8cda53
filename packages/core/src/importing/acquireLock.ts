// First state of the workflow: one import at a time per user. A busy lock throws ImportLockBusy,
// which the definition retries for about 15 minutes before giving up with a readable reason.

import { acquireImportLock, renewImportLock, ImportLockLost } from '../job/importLock';
import { jobContextOf, logImport, type ImportContext } from './importContext';
import type { ImportExecutionInput } from './importWorkflowState';

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

export async function acquireLock(ctx: ImportContext, input: Pick<ImportExecutionInput, 'importId' | 'userId'>): Promise<AcquireLockOutput> {
  const holder = await acquireImportLock(jobContextOf(ctx), input.userId, input.importId, importLockLeaseSeconds);
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
