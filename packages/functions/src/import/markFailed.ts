import type { MarkFailedInput } from '@threadline/core/importWorkflow/importWorkflowState';
import { markImportFailed } from '@threadline/core/importWorkflow/steps/markImportFailed';
import { linkedImportContext } from './linkedImportContext';

/** MarkFailed: execution state with `$.error` ({ Error, Cause }) → `$.markFailed`. */
export async function handler(event: MarkFailedInput) {
  return markImportFailed(linkedImportContext(), event);
}
