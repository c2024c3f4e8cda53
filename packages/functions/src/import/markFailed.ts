import type { MarkFailedInput } from '@threadline/core/importing/importWorkflowState';
import { markImportFailed } from '@threadline/core/importing/markImportFailed';
import { linkedImportContext } from './linkedImportContext';

/** MarkFailed: execution state with `$.error` ({ Error, Cause }) → `$.markFailed`. */
export async function handler(event: MarkFailedInput) {
  return markImportFailed(linkedImportContext(), event);
}
