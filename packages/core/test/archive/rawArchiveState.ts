// What is really stored, read around the store's own API: every item of a conversation
// partition and every object under a prefix. Tests assert on these.

import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { objectKeys } from '../../src/archive/objectKeys';
import { conversationPk } from '../../src/archive/conversationKeys';
import type { StoreContext } from '../../src/archive/storeContext';

export async function rawItems(ctx: StoreContext, userId: string, conversationId: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.resources.tables.Conversations,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': conversationPk(userId, conversationId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function rawObjectKeys(ctx: StoreContext, userId: string, conversationId: string): Promise<string[]> {
  const output = await ctx.clients.s3.send(
    new ListObjectsV2Command({ Bucket: ctx.resources.bucket, Prefix: objectKeys.offloadPrefix(userId, conversationId) }),
  );
  return (output.Contents ?? []).map((object) => object.Key!).sort();
}
