import type { ChunkEvent } from '@threadline/core/importWorkflow/importWorkflowState';
import { processChunk } from '@threadline/core/importWorkflow/steps/processChunk';
import { linkedImportContext } from './linkedImportContext';

/** One Distributed Map item (ItemSelector: importId, userId, chunkIndex, chunk); throws StoreThrottled. */
export async function handler(event: ChunkEvent) {
  return processChunk(linkedImportContext(), event);
}
