// Mirror mode: after an import, delete the user's conversations that the export no longer
// contains (all items and offloaded objects).
//
// DANGER: only the caller knows whether the import was complete. It must never call this when
// anything failed — a failed shard, chunk or conversation, or a partial upload — because every
// conversation missing from `keepIds` is deleted for good.

import { conversationIdFromPk, conversationsTableAttributes, userPartition } from './conversationKeys';
import { deleteConversation } from './deleteConversation';
import { queryPages } from '../aws/queryPages';
import type { StoreContext } from './storeContext';

const { partitionKey, byUserIndex } = conversationsTableAttributes;

export interface MirrorDeleteResult {
  conversations_deleted: number;
  messages_deleted: number;
  objects_deleted: number;
  assets_deleted: number;
}

export async function deleteConversationsNotIn(
  ctx: StoreContext,
  userId: string,
  keepIds: AsyncIterable<string> | Set<string>,
): Promise<MirrorDeleteResult> {
  const partition = userPartition(userId);
  const keep = keepIds instanceof Set ? keepIds : await collectIds(keepIds);
  const result: MirrorDeleteResult = { conversations_deleted: 0, messages_deleted: 0, objects_deleted: 0, assets_deleted: 0 };
  // Keys only, a page at a time: the stored ids are never all held in memory.
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    IndexName: byUserIndex.name,
    KeyConditionExpression: `${byUserIndex.partitionKey} = :user`,
    ExpressionAttributeValues: { ':user': partition },
    ProjectionExpression: partitionKey,
  });
  for await (const page of pages) {
    for (const item of page) {
      const conversationId = conversationIdFromPk(userId, item[partitionKey] as string);
      if (keep.has(conversationId)) continue;
      const deleted = await deleteConversation(ctx, userId, conversationId);
      result.conversations_deleted += 1;
      result.messages_deleted += deleted.messages_deleted;
      result.objects_deleted += deleted.objects_deleted;
      result.assets_deleted += deleted.assets_deleted;
    }
  }
  return result;
}

async function collectIds(ids: AsyncIterable<string>): Promise<Set<string>> {
  const set = new Set<string>();
  for await (const id of ids) set.add(id);
  return set;
}
