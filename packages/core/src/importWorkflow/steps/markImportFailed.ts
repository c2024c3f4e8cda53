// MarkFailed: the Catch of every state ends here. Records why on the job (FAILED, one line),
// releases the lock if this import holds it (a lock-wait timeout leaves another import's lock
// alone) and deletes the work files, best effort.

import { releaseImportLock } from '../job/importLock';
import { decideOutcome } from '../job/jobOutcome';
import { getJob, markJobFailed } from '../job/jobRepository';
import { workflowErrorNames } from '../workflowErrors';
import { caughtErrorText } from './caughtErrorText';
import { jobContextOf, logImport, type ImportContext } from '../importContext';
import type { MarkFailedInput } from '../importWorkflowState';
import { deleteWorkFiles } from './workCleanup';

export interface MarkFailedOutput {
  reason: string;
  /** False when the job had already ended (a late MarkFailed never overwrites an outcome). */
  recorded: boolean;
  lockReleased: boolean;
}

export async function markImportFailed(ctx: ImportContext, input: MarkFailedInput): Promise<MarkFailedOutput> {
  const { importId, userId } = input;
  const jobCtx = jobContextOf(ctx);
  const job = { userId, importId };
  const reason = await failureReason(ctx, input);
  const result = await markJobFailed(jobCtx, job, reason);
  if (!result.applied) logImport(ctx, 'job not marked FAILED', { importId, reason: result.reason });
  const lockReleased = await releaseImportLock(jobCtx, userId, importId);
  await deleteWorkFiles(ctx, importId, input.processed);
  return { reason, recorded: result.applied, lockReleased };
}

async function failureReason(ctx: ImportContext, input: MarkFailedInput): Promise<string> {
  // "No conversations" is said better from the job: it knows which listed shards were missing.
  if (input.error?.Error === workflowErrorNames.noConversations) {
    const job = await getJob(jobContextOf(ctx), { userId: input.userId, importId: input.importId });
    const outcome = job ? decideOutcome(job) : null;
    if (outcome?.reason) return outcome.reason;
  }
  return caughtErrorText(input.error);
}
