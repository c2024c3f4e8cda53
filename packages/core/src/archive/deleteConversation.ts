// Deletes one conversation: its search index entries, every other item of its partition (pages,
// layout-1 messages, orphans), its offloaded objects, its file references (and the files no other
// conversation points at), then its META last, so a crash part-way leaves the META in place and a
// retry (or the next mirror run) finishes the job.

import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { removeFromSearchIndex } from '../search/removeFromSearchIndex';
import { releaseConversationFiles } from './assetReferences';
import { batchWriteItems, deleteRequest } from '../aws/batchWriteItems';
import { metaKey } from './conversationKeys';
import { deleteObjectKeys, listOffloadedKeys } from './offloadedObjects';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import { storedMessageTotal, storedThreadState } from './storedThreadState';
import type { StoreContext } from './storeContext';

export interface ConversationDeleteResult {
  /** False when there was no META (nothing, or only leftovers, was stored). */
  existed: boolean;
  messages_deleted: number;
  objects_deleted: number;
  /** Stored files (images, voice, attachments) deleted because no other conversation pointed at them. */
  assets_deleted: number;
}

export async function deleteConversation(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
): Promise<ConversationDeleteResult> {
  const key = metaKey(userId, conversationId);
  // The search index first: a crash after it leaves the META, so the delete is retried whole.
  await removeFromSearchIndex(ctx, userId, conversationId);
  const stored = await storedThreadState(ctx, userId, conversationId);
  await batchWriteItems(
    ctx,
    ctx.resources.tables.Conversations,
    [...stored.pages, ...stored.legacyMessages].map((item) => deleteRequest({ pk: key.pk, sk: item.sk })),
  );
  const objects_deleted = await deleteObjectKeys(ctx, await listOffloadedKeys(ctx, userId, conversationId));
  const assets_deleted = await releaseConversationFiles(ctx, userId, conversationId);
  const output = await withThrottleRetry(ctx.backoff ?? defaultRetryBackoff, () =>
    ctx.clients.dynamo.send(
      new DeleteCommand({ TableName: ctx.resources.tables.Conversations, Key: key, ReturnValues: 'ALL_OLD' }),
    ),
  );
  return { existed: Boolean(output.Attributes), messages_deleted: storedMessageTotal(stored), objects_deleted, assets_deleted };
}
