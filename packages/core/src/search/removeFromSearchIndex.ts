// Removes a conversation from the search index: every posting its DOC names (committed or
// pending), then the DOC. Called before the archive deletes the conversation's META, so a crash
// in between leaves the conversation to be deleted again, and the index with it.

import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteItems, deleteRequest } from '../store/batchWriteItems';
import { defaultRetryBackoff, withThrottleRetry } from '../store/retryBackoff';
import type { StoreContext } from '../store/storeContext';
import { recordedTerms, type SearchDocItem } from './searchDocument';
import { postingKey, searchDocKey } from './searchIndexKeys';

/** The number of postings removed (0 when the conversation was not indexed). */
export async function removeFromSearchIndex(ctx: StoreContext, userId: string, conversationId: string): Promise<number> {
  const table = ctx.resources.tables.Conversations;
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const key = searchDocKey(userId, conversationId);
  const output = await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })));
  const doc = output.Item as SearchDocItem | undefined;
  if (!doc) return 0;
  const requests = [...recordedTerms(doc)].flatMap(([term, parts]) =>
    Array.from({ length: parts }, (_, part) => deleteRequest(postingKey(userId, term, conversationId, part))),
  );
  await batchWriteItems(ctx, table, requests);
  await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new DeleteCommand({ TableName: table, Key: key })));
  return requests.length;
}
