// Removing an import's work files (chunks, manifest, ids, failures, Map Run results) once it ended.

import { objectKeys } from '../../archive/objectKeys';
import type { ProcessChunksOutput } from '../importStateMachine';
import { logImport, type ImportContext } from '../importContext';
import { mapRunResultsFolder } from './mapRunResults';
import { deleteObjectsUnder } from '../../aws/objectsUnderPrefix';

/**
 * Best effort: leftovers cost storage, not correctness, and must not fail an import whose data
 * is already written. The Map Run folder is only deleted when it lies under work/ (the
 * ResultWriter prefix is the definition's; never delete outside our work area).
 */
export async function deleteWorkFiles(ctx: ImportContext, importId: string, processed?: ProcessChunksOutput): Promise<void> {
  const folders = [objectKeys.workPrefix(importId)];
  const results = processed ? mapRunResultsFolder(processed) : null;
  if (results && results.startsWith(objectKeys.workArea) && !results.startsWith(objectKeys.workPrefix(importId))) folders.push(results);
  for (const folder of folders) {
    try {
      await deleteObjectsUnder(ctx.clients.s3, processed && folder === results ? processed.ResultWriterDetails.Bucket : ctx.resources.bucket, folder);
    } catch (error) {
      logImport(ctx, 'work files not deleted', { importId, folder, error: String(error) });
    }
  }
}
