import type { ImportExecutionInput } from '@threadline/core/importing/importWorkflowState';
import { splitArchive } from '@threadline/core/importing/splitArchive';
import { linkedImportContext } from './linkedImportContext';

/** Split: execution state → `$.split` ({ chunks, manifestKey, … }); throws UnreadableExport. */
export async function handler(event: ImportExecutionInput) {
  return splitArchive(linkedImportContext(), event);
}
