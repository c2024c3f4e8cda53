// Rebuilds a user's search index from the archive, the source of truth: every archived
// conversation is indexed again from its stored messages (forced: postings rewritten, terms the
// DOC names but the archive lacks deleted), then DOCs of conversations the archive no longer
// holds are removed with their postings. Meant for when no import of the user runs: one running
// meanwhile could have a conversation's newer version indexed and then overwritten by the older
// one read here (until that conversation changes again or the next reindex).

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { listConversations } from '../store/listConversations';
import { listMessages } from '../store/listMessages';
import { defaultRetryBackoff, withThrottleRetry } from '../store/retryBackoff';
import type { StoreContext } from '../store/storeContext';
import { indexConversations, type IndexedConversation, type IndexWriteCounts } from './indexConversations';
import { removeFromSearchIndex } from './removeFromSearchIndex';
import { SEARCH_DOC_SK_PREFIX, searchDocPk } from './searchIndexKeys';

export interface ReindexResult extends IndexWriteCounts {
  conversations_removed: number;
}

const CONVERSATIONS_PER_BATCH = 50;

export async function reindexUser(ctx: StoreContext, userId: string, onProgress?: (indexed: number) => void): Promise<ReindexResult> {
  const result: ReindexResult = { conversations_indexed: 0, postings_put: 0, postings_deleted: 0, conversations_removed: 0 };
  const archived = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listConversations(ctx, userId, { limit: CONVERSATIONS_PER_BATCH, cursor });
    const batch: IndexedConversation[] = await Promise.all(
      page.items.map(async (summary) => ({
        conversation_id: summary.conversation_id,
        content_hash: summary.content_hash,
        create_time: summary.create_time,
        model: summary.model,
        messages: await allMessages(ctx, userId, summary.conversation_id),
      })),
    );
    for (const conversation of batch) archived.add(conversation.conversation_id);
    const counts = await indexConversations(ctx, userId, batch, { force: true });
    result.conversations_indexed += counts.conversations_indexed;
    result.postings_put += counts.postings_put;
    result.postings_deleted += counts.postings_deleted;
    onProgress?.(result.conversations_indexed);
    cursor = page.cursor ?? undefined;
  } while (cursor);

  for (const conversationId of await indexedConversationIds(ctx, userId)) {
    if (archived.has(conversationId)) continue;
    result.postings_deleted += await removeFromSearchIndex(ctx, userId, conversationId);
    result.conversations_removed += 1;
  }
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

async function indexedConversationIds(ctx: StoreContext, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const output = await withThrottleRetry(ctx.backoff ?? defaultRetryBackoff, () =>
      ctx.clients.dynamo.send(
        new QueryCommand({
          TableName: ctx.resources.tables.Conversations,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :doc)',
          ExpressionAttributeValues: { ':pk': searchDocPk(userId), ':doc': SEARCH_DOC_SK_PREFIX },
          ProjectionExpression: 'conversation_id',
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    for (const item of output.Items ?? []) ids.push(item.conversation_id as string);
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return ids;
}
