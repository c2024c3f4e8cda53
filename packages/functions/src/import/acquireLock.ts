import { acquireLock } from '@threadline/core/importWorkflow/steps/acquireLock';
import type { AcquireLockInput } from '@threadline/core/importWorkflow/importWorkflowState';
import { linkedImportContext } from './linkedImportContext';

/** AcquireLock: its Parameters → `$.lock`; throws ImportLockBusy while a live import holds the lock (retried by the definition). */
export async function handler(event: AcquireLockInput) {
  return acquireLock(linkedImportContext(), event);
}
