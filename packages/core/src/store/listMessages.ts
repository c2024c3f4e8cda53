// A conversation's messages in thread order, a page at a time, offloaded texts resolved.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { messageFromItem, type MessageItem } from './conversationItems';
import { conversationPk, MESSAGE_SK_PREFIX } from './conversationKeys';
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
  const output = await ctx.clients.dynamo.send(
    new QueryCommand({
      TableName: ctx.resources.tables.Conversations,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
      ExpressionAttributeValues: { ':pk': pk, ':msg': MESSAGE_SK_PREFIX },
      ScanIndexForward: true,
      Limit: pageLimit(options.limit, 100, 1000),
      ExclusiveStartKey: decodeCursor(options.cursor, { pk }),
    }),
  );
  const items = (output.Items ?? []) as MessageItem[];
  return {
    items: await Promise.all(items.map(async (item) => messageFromItem(item, await resolveText(ctx, item.text, item.text_ref)))),
    cursor: encodeCursor(output.LastEvaluatedKey),
  };
}
