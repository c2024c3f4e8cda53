// A user's conversations, newest first (by create_time), through the sparse byUser index.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conversationSummaryAttributes, conversationSummaryFromItem, type ConversationSummary } from './conversationItems';
import { conversationPkPrefix, conversationsTableAttributes, userPartition } from './conversationKeys';
import { decodeCursor, encodeCursor, pageLimit, type Page } from './pageCursor';
import type { StoreContext } from './storeContext';

const { partitionKey, byUserIndex: byUser } = conversationsTableAttributes;

export async function listConversations(
  ctx: StoreContext,
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page<ConversationSummary>> {
  const partition = userPartition(userId);
  const output = await ctx.clients.dynamo.send(
    new QueryCommand({
      TableName: ctx.resources.tables.Conversations,
      IndexName: byUser.name,
      KeyConditionExpression: `${byUser.partitionKey} = :user`,
      ExpressionAttributeValues: { ':user': partition },
      ExpressionAttributeNames: Object.fromEntries(conversationSummaryAttributes.map((name) => [`#${name}`, name])),
      ProjectionExpression: conversationSummaryAttributes.map((name) => `#${name}`).join(', '),
      ScanIndexForward: false,
      Limit: pageLimit(options.limit, 50, 200),
      ExclusiveStartKey: decodeCursor(options.cursor, { [byUser.partitionKey]: partition }, { [partitionKey]: conversationPkPrefix(userId) }),
    }),
  );
  return {
    items: (output.Items ?? []).map((item) => conversationSummaryFromItem(item)),
    cursor: encodeCursor(output.LastEvaluatedKey),
  };
}
