import { acquireLock } from '@threadline/core/importing/acquireLock';
import type { ImportExecutionInput } from '@threadline/core/importing/importWorkflowState';
import { linkedImportContext } from './linkedImportContext';

/** AcquireLock: execution input → `$.lock`; throws ImportLockBusy (retried by the definition). */
export async function handler(event: ImportExecutionInput) {
  return acquireLock(linkedImportContext(), event);
}
