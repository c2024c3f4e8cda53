// Rebuilds a user's search index from the archive, the source of truth: every item of the
// user's index is deleted (segments, tombstones, DOCs), then every archived conversation is
// indexed again from its stored messages, in segments of 250. This is also the compaction: the
// entries that edits and deletes left behind in older segments are gone afterwards.
// Meant for when no import of the user runs; queries meanwhile see a partial index.

import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { batchWriteItems, deleteRequest } from '../aws/batchWriteItems';
import { listConversations } from '../archive/listConversations';
import { listMessages } from '../archive/listMessages';
import { queryPages } from '../aws/queryPages';
import type { StoreContext } from '../archive/storeContext';
import { indexConversations, type IndexedConversation, type IndexWriteCounts } from './indexConversations';
import { deadPk, SEARCH_SHARDS, searchDocPk, shardPk, smallSegmentsPk } from './searchIndexKeys';
import { conversationsTableAttributes } from '../archive/conversationKeys';

const { partitionKey, sortKey } = conversationsTableAttributes;

export interface ReindexResult extends IndexWriteCounts {
  /** Index items deleted before the rebuild. */
  items_deleted: number;
}

const CONVERSATIONS_PER_SEGMENT = 250;
const CONVERSATIONS_READ_AT_ONCE = 8;

export async function reindexUser(ctx: StoreContext, userId: string, onProgress?: (indexed: number) => void): Promise<ReindexResult> {
  const result: ReindexResult = { conversations_indexed: 0, segment_items: 0, segment_bytes: 0, tombstones: 0, items_deleted: 0 };
  const partitions = [searchDocPk(userId), deadPk(userId), smallSegmentsPk(userId), ...Array.from({ length: SEARCH_SHARDS }, (_, shard) => shardPk(userId, shard))];
  for (const pk of partitions) result.items_deleted += await deletePartition(ctx, pk);

  let cursor: string | undefined;
  let batch: IndexedConversation[] = [];
  const flush = async () => {
    const counts = await indexConversations(ctx, userId, batch, { force: true });
    result.conversations_indexed += counts.conversations_indexed;
    result.segment_items += counts.segment_items;
    result.segment_bytes += counts.segment_bytes;
    result.tombstones += counts.tombstones;
    batch = [];
    onProgress?.(result.conversations_indexed);
  };
  do {
    const page = await listConversations(ctx, userId, { limit: 200, cursor });
    for (let start = 0; start < page.items.length; start += CONVERSATIONS_READ_AT_ONCE) {
      batch.push(
        ...(await Promise.all(
          page.items.slice(start, start + CONVERSATIONS_READ_AT_ONCE).map(async (summary) => ({
            conversation_id: summary.conversation_id,
            title: summary.title,
            content_hash: summary.content_hash,
            create_time: summary.create_time,
            model: summary.model,
            messages: await allMessages(ctx, userId, summary.conversation_id),
          })),
        )),
      );
      if (batch.length >= CONVERSATIONS_PER_SEGMENT) await flush();
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  if (batch.length > 0) await flush();
  return result;
}

async function allMessages(ctx: StoreContext, userId: string, conversationId: string): Promise<NormalizedMessage[]> {
  const messages: NormalizedMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages(ctx, userId, conversationId, { limit: 1000, cursor });
    messages.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return messages;
}

async function deletePartition(ctx: StoreContext, pk: string): Promise<number> {
  let deleted = 0;
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    KeyConditionExpression: `${partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: `${partitionKey}, ${sortKey}`,
  });
  for await (const page of pages) {
    const keys = page as { pk: string; sk: string }[];
    await batchWriteItems(ctx, ctx.resources.tables.Conversations, keys.map(deleteRequest));
    deleted += keys.length;
  }
  return deleted;
}
