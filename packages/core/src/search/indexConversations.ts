// Brings the search index in line with conversations just written to the archive, as ONE new
// segment for the whole batch (a chunk: a few dozen items instead of one per term and
// conversation). For the conversations whose DOC lacks their content_hash:
//   1. DOC ← pending: this segment      (so a crash leaves a record of where entries may be)
//   2. the segment's items               (new segment id per call: a retry never overwrites
//                                          entries another attempt already committed)
//   3. tombstones for the entries of their previous and pending segments
//   4. DOC ← segment: this one, content_hash (the commit)
// Queries drop tombstoned entries, so a conversation is found by its current words only, and a
// crash at any step leaves either the old version or, after the retry, the new one.

import { randomBytes } from 'node:crypto';
import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { batchGetItems } from '../aws/batchGetItems';
import { batchWriteItems, putRequest, type WriteRequest } from '../aws/batchWriteItems';
import type { StoreContext } from '../archive/storeContext';
import { conversationPostings } from './conversationPostings';
import type { SearchDocItem } from './searchDocument';
import { deadEntryKey, searchDocKey } from './searchIndexKeys';
import { segmentItems } from './searchSegment';
import { conversationsTableAttributes } from '../archive/conversationKeys';

const { partitionKey, sortKey } = conversationsTableAttributes;

export type IndexedConversation = Pick<NormalizedConversation, 'conversation_id' | 'title' | 'content_hash' | 'create_time' | 'model' | 'messages'>;

export interface IndexWriteCounts {
  conversations_indexed: number;
  /** Segment items written (each holds one shard's postings of the batch). */
  segment_items: number;
  /** Their size (gzipped postings and conversation tables), roughly what DynamoDB stores. */
  segment_bytes: number;
  /** Entries of earlier segments marked dead (edited or re-indexed conversations). */
  tombstones: number;
}

const docAttributes = [partitionKey, sortKey, 'conversation_id', 'content_hash', 'segment', 'pending'];

export function newSegmentId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

export async function indexConversations(
  ctx: StoreContext,
  userId: string,
  conversations: readonly IndexedConversation[],
  options: { force?: boolean; segmentId?: string; segmentLimits?: Parameters<typeof segmentItems>[3] } = {},
): Promise<IndexWriteCounts> {
  const counts: IndexWriteCounts = { conversations_indexed: 0, segment_items: 0, segment_bytes: 0, tombstones: 0 };
  if (conversations.length === 0) return counts;
  const table = ctx.resources.tables.Conversations;
  const docs = new Map<string, SearchDocItem>();
  const found = await batchGetItems(ctx, table, conversations.map((c) => searchDocKey(userId, c.conversation_id)), docAttributes);
  for (const item of found) docs.set(item.conversation_id as string, item as unknown as SearchDocItem);

  const stale = [...new Map(conversations.map((c) => [c.conversation_id, c])).values()].filter((conversation) => {
    const doc = docs.get(conversation.conversation_id);
    return options.force || !doc || doc.content_hash !== conversation.content_hash || doc.pending !== undefined;
  });
  if (stale.length === 0) return counts;
  const segmentId = options.segmentId ?? newSegmentId(ctx.now?.());

  const doc = (conversation: IndexedConversation, fields: Partial<SearchDocItem>): WriteRequest =>
    putRequest({ ...searchDocKey(userId, conversation.conversation_id), conversation_id: conversation.conversation_id, ...fields });
  await batchWriteItems(
    ctx,
    table,
    stale.map((conversation) => {
      const before = docs.get(conversation.conversation_id);
      return doc(conversation, { ...(before?.segment ? { segment: before.segment, content_hash: before.content_hash } : {}), pending: segmentId });
    }),
  );

  const items = segmentItems(
    userId,
    segmentId,
    stale.map((conversation) => ({
      conversation_id: conversation.conversation_id,
      title: conversation.title,
      create_time: conversation.create_time,
      model: conversation.model,
      postings: conversationPostings(conversation),
    })),
    options.segmentLimits,
  );
  await batchWriteItems(ctx, table, items.map(putRequest));

  const tombstones: WriteRequest[] = [];
  for (const conversation of stale) {
    const before = docs.get(conversation.conversation_id);
    for (const segment of new Set([before?.segment, before?.pending])) {
      if (segment && segment !== segmentId) tombstones.push(putRequest({ ...deadEntryKey(userId, segment, conversation.conversation_id), s: segment, c: conversation.conversation_id }));
    }
  }
  await batchWriteItems(ctx, table, tombstones);

  await batchWriteItems(ctx, table, stale.map((conversation) => doc(conversation, { segment: segmentId, content_hash: conversation.content_hash })));
  counts.conversations_indexed = stale.length;
  counts.segment_items = items.length;
  counts.segment_bytes = items.reduce((sum, item) => sum + item.p.length + item.sk.length + item.pk.length, 0);
  counts.tombstones = tombstones.length;
  return counts;
}
