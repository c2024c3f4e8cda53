// Brings the search index in line with conversations just written to the archive. Per
// conversation, when the DOC's content_hash differs from the conversation's:
//   DOC ← pending terms (old ∪ new)  →  put the new postings, delete the ones no longer there
//   →  DOC ← content_hash + new terms (the commit).
// A crash at any point leaves a DOC that names every posting that may exist, so the retry (or a
// delete) removes whatever the new version does not have: the index converges, never keeps a
// word the archive lost. A conversation whose DOC already has its hash costs one batched read.

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { batchGetItems } from '../store/batchGetItems';
import { deleteRequest, putRequest, type WriteRequest } from '../store/batchWriteItems';
import { packedBatchWriter, type PackedBatchWriter } from '../store/packedBatchWriter';
import { defaultRetryBackoff, withThrottleRetry } from '../store/retryBackoff';
import type { StoreContext } from '../store/storeContext';
import { conversationPostings, encodePostingParts } from './conversationPostings';
import { packTerms, recordedTerms, type IndexedTerms, type SearchDocItem } from './searchDocument';
import { postingKey, searchDocKey } from './searchIndexKeys';

export type IndexedConversation = Pick<NormalizedConversation, 'conversation_id' | 'content_hash' | 'create_time' | 'model' | 'messages'>;

export interface IndexWriteCounts {
  conversations_indexed: number;
  postings_put: number;
  postings_deleted: number;
}

const CONVERSATIONS_AT_ONCE = 8;
const BATCH_WRITES_IN_FLIGHT = 8;
const docAttributes = ['pk', 'sk', 'content_hash', 'terms', 'pending'];

export async function indexConversations(
  ctx: StoreContext,
  userId: string,
  conversations: readonly IndexedConversation[],
  options: { force?: boolean } = {},
): Promise<IndexWriteCounts> {
  const counts: IndexWriteCounts = { conversations_indexed: 0, postings_put: 0, postings_deleted: 0 };
  if (conversations.length === 0) return counts;
  const table = ctx.resources.tables.Conversations;
  const docs = new Map<string, SearchDocItem>();
  const found = await batchGetItems(ctx, table, conversations.map((c) => searchDocKey(userId, c.conversation_id)), docAttributes);
  for (const item of found) docs.set(item.sk as string, item as unknown as SearchDocItem);

  const stale = conversations.filter((conversation) => {
    const doc = docs.get(searchDocKey(userId, conversation.conversation_id).sk);
    return options.force || !doc || doc.content_hash !== conversation.content_hash || doc.pending !== undefined;
  });
  const writer = packedBatchWriter(ctx, table, BATCH_WRITES_IN_FLIGHT);
  let next = 0;
  const worker = async () => {
    while (next < stale.length) {
      const conversation = stale[next++]!;
      const doc = docs.get(searchDocKey(userId, conversation.conversation_id).sk);
      await indexOne(ctx, writer, userId, conversation, doc, counts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONVERSATIONS_AT_ONCE, stale.length) }, worker));
  return counts;
}

async function indexOne(
  ctx: StoreContext,
  writer: PackedBatchWriter,
  userId: string,
  conversation: IndexedConversation,
  doc: SearchDocItem | undefined,
  counts: IndexWriteCounts,
): Promise<void> {
  const id = conversation.conversation_id;
  const before = recordedTerms(doc);
  const postings = conversationPostings(conversation);
  const after: IndexedTerms = new Map();
  const requests: WriteRequest[] = [];
  for (const [term, byMessage] of postings) {
    const parts = encodePostingParts(byMessage);
    after.set(term, parts.length);
    parts.forEach((encoded, part) => {
      requests.push(
        putRequest({
          ...postingKey(userId, term, id, part),
          c: id,
          p: encoded,
          ...(conversation.create_time ? { t: conversation.create_time } : {}),
          ...(conversation.model ? { m: conversation.model } : {}),
        }),
      );
    });
  }
  let deletes = 0;
  for (const [term, parts] of before) {
    for (let part = after.get(term) ?? 0; part < parts; part += 1) {
      requests.push(deleteRequest(postingKey(userId, term, id, part)));
      deletes += 1;
    }
  }

  const pending = new Map(before);
  for (const [term, parts] of after) pending.set(term, Math.max(parts, pending.get(term) ?? 0));
  await putDoc(ctx, { ...searchDocKey(userId, id), conversation_id: id, ...(doc?.content_hash ? { content_hash: doc.content_hash } : {}), pending: packTerms(pending) });
  await writer.write(requests);
  await putDoc(ctx, { ...searchDocKey(userId, id), conversation_id: id, content_hash: conversation.content_hash, terms: packTerms(after) });
  counts.conversations_indexed += 1;
  counts.postings_put += requests.length - deletes;
  counts.postings_deleted += deletes;
}

async function putDoc(ctx: StoreContext, item: SearchDocItem): Promise<void> {
  await withThrottleRetry(ctx.backoff ?? defaultRetryBackoff, () =>
    ctx.clients.dynamo.send(new PutCommand({ TableName: ctx.resources.tables.Conversations, Item: item })),
  );
}
