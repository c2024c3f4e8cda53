// A conversation's messages in thread order, a page at a time, offloaded texts resolved.
//
// The META is the single source of truth: only positions < META.message_count belong to the
// committed thread. Items beyond it are orphans a crashed earlier attempt left (see
// writeConversations.ts); they sort after the thread, so dropping them only ever shortens the
// last page. No META, no messages. META and messages are read in parallel: one round trip.

import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { messageFromItem, type MessageItem } from './conversationItems';
import { conversationPk, MESSAGE_SK_PREFIX, metaKey } from './conversationKeys';
import { resolveText } from './offloadedObjects';
import { decodeCursor, encodeCursor, pageLimit, type Page } from './pageCursor';
import type { StoreContext } from './storeContext';

export async function listMessages(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page<NormalizedMessage>> {
  const pk = conversationPk(userId, conversationId);
  const table = ctx.resources.tables.Conversations;
  const [metaOutput, output] = await Promise.all([
    ctx.clients.dynamo.send(
      new GetCommand({ TableName: table, Key: metaKey(userId, conversationId), ProjectionExpression: 'message_count' }),
    ),
    ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': pk, ':msg': MESSAGE_SK_PREFIX },
        ScanIndexForward: true,
        Limit: pageLimit(options.limit, 100, 1000),
        ExclusiveStartKey: decodeCursor(options.cursor, { pk }),
      }),
    ),
  ]);
  const messageCount = (metaOutput.Item?.message_count as number | undefined) ?? 0;
  const items = ((output.Items ?? []) as MessageItem[]).filter((item) => item.position < messageCount);
  const last = items.at(-1);
  const threadEnded = items.length < (output.Items ?? []).length || (last !== undefined && last.position >= messageCount - 1);
  return {
    items: await Promise.all(items.map(async (item) => messageFromItem(item, await resolveText(ctx, item.text, item.text_ref)))),
    cursor: threadEnded ? null : encodeCursor(output.LastEvaluatedKey),
  };
}
