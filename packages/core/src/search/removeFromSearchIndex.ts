// Removes a conversation from the search index: its entries in the segments its DOC names are
// tombstoned, then the DOC is deleted. Called before the archive deletes the conversation's META,
// so a crash in between leaves the conversation to be deleted again, and the index with it.

import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteItems, putRequest } from '../aws/batchWriteItems';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import type { StoreContext } from '../archive/storeContext';
import type { SearchDocItem } from './searchDocument';
import { deadEntryKey, searchDocKey } from './searchIndexKeys';

/** True when the conversation was indexed. */
export async function removeFromSearchIndex(ctx: StoreContext, userId: string, conversationId: string): Promise<boolean> {
  const table = ctx.resources.tables.Conversations;
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const key = searchDocKey(userId, conversationId);
  const output = await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })));
  const doc = output.Item as SearchDocItem | undefined;
  if (!doc) return false;
  const segments = [...new Set([doc.segment, doc.pending])].filter((segment): segment is string => Boolean(segment));
  await batchWriteItems(ctx, table, segments.map((segment) => putRequest({ ...deadEntryKey(userId, segment, conversationId), s: segment, c: conversationId })));
  await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new DeleteCommand({ TableName: table, Key: key })));
  return true;
}
