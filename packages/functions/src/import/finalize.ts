import { finalizeImport } from '@threadline/core/importWorkflow/steps/finalizeImport';
import type { FinalizeInput } from '@threadline/core/importWorkflow/importWorkflowState';
import { linkedImportContext } from './linkedImportContext';

/** Finalize: execution state (with `$.processed` from the Map) → `$.finalized`. */
export async function handler(event: FinalizeInput) {
  return finalizeImport(linkedImportContext(), event);
}
