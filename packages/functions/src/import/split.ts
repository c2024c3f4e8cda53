import type { ImportExecutionInput } from '@threadline/core/importWorkflow/importWorkflowState';
import { defaultChunkLimits } from '@threadline/core/importWorkflow/steps/chunkWriter';
import { splitArchive } from '@threadline/core/importWorkflow/steps/splitArchive';
import { linkedImportContext } from './linkedImportContext';

/**
 * THREADLINE_CHUNK_CONVERSATIONS caps conversations per chunk below the default (250): tests get
 * many chunks, so Map behaviour, from small exports.
 */
function chunkLimits() {
  const configured = Number(process.env.THREADLINE_CHUNK_CONVERSATIONS);
  return Number.isInteger(configured) && configured > 0 ? { ...defaultChunkLimits, maxConversations: configured } : defaultChunkLimits;
}

/** Split: execution state → `$.split` ({ chunks, manifestKey, … }); throws UnreadableExport. */
export async function handler(event: ImportExecutionInput) {
  return splitArchive(linkedImportContext(), event, { chunkLimits: chunkLimits() });
}
