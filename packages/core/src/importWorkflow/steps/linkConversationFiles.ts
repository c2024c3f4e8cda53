// After a chunk's conversations are written: their file references made exactly what their
// messages point at (references of a conversation whose new thread dropped a file are removed,
// and the file released if nothing else points at it), and the pointers to files the export
// lacks counted. Stale and failed conversations keep what they had.

import { messageFiles } from '../../conversation/messageFiles';
import type { NormalizedConversation } from '../../conversation/normalizedConversation';
import { isFileId } from '../../archive/assetKeys';
import { syncConversationFiles } from '../../archive/assetReferences';
import { packedBatchWriter } from '../../archive/packedBatchWriter';
import type { ChunkWriteResult } from '../../archive/writeConversations';
import type { StoreContext } from '../../archive/storeContext';
import type { JobCounts } from '../job/importJob';

/**
 * Conversations synced at once. Their additions share packed BatchWriteItems (which bound the
 * calls in flight themselves), so enough of them must be in flight to fill batches of 25: on the
 * bench export this took 435 calls of ~7 requests down to 139.
 */
const CONVERSATIONS_IN_FLIGHT = 32;
/** BatchWriteItem calls in flight for the additions (as writeConversations' pages). */
const BATCH_WRITES_IN_FLIGHT = 8;

export interface LinkResult {
  /** Distinct file ids of the chunk's conversations that the export lacks (the job's counter). */
  assets_missing: JobCounts['assets_missing'];
  objects_deleted: number;
}

export async function linkConversationFiles(
  ctx: StoreContext,
  userId: string,
  conversations: readonly NormalizedConversation[],
  outcomes: ChunkWriteResult['outcomes'],
  missingInExport: ReadonlySet<string>,
): Promise<LinkResult> {
  const packed = packedBatchWriter(ctx, ctx.resources.tables.Conversations, BATCH_WRITES_IN_FLIGHT);
  const byId = new Map(conversations.map((conversation) => [conversation.conversation_id, conversation]));
  const missing = new Set<string>();
  const work: Array<() => Promise<number>> = [];
  for (const { conversation_id, verdict } of outcomes) {
    const conversation = byId.get(conversation_id);
    if (!conversation || verdict === 'failed' || verdict === 'skipped_stale') continue;
    const fileIds = [...new Set(conversation.messages.flatMap((message) => messageFiles(message).map((ref) => ref.fileId)))].filter(isFileId);
    for (const fileId of fileIds) if (missingInExport.has(fileId)) missing.add(fileId);
    // Unchanged and pointing at nothing: nothing to check, so a re-import costs nothing here.
    if (verdict === 'unchanged' && fileIds.length === 0) continue;
    const stored = verdict === 'created' ? [] : undefined;
    work.push(async () => (await syncConversationFiles(ctx, userId, conversation_id, fileIds, stored, packed)).objects_deleted);
  }
  let objects_deleted = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONVERSATIONS_IN_FLIGHT, work.length) }, async () => {
      while (next < work.length) objects_deleted += await work[next++]!();
    }),
  );
  return { assets_missing: missing.size, objects_deleted };
}
