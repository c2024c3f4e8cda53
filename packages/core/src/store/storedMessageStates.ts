// The stored messages of one conversation as the diff needs them: sort key, hash and any
// offload reference — never their texts. Strongly consistent, so a retry sees its own writes.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ObjectRef } from './conversationItems';
import { conversationPk, MESSAGE_SK_PREFIX } from './conversationKeys';
import { defaultRetryBackoff, withThrottleRetry } from './retryBackoff';
import type { StoreContext } from './storeContext';

/** planDiff's StoredMessageState plus the offload reference the object cleanup needs. */
export interface StoredMessageRow {
  sk: string;
  hash: string;
  text_ref?: ObjectRef;
}

export async function storedMessageStates(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
): Promise<StoredMessageRow[]> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const states: StoredMessageRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const output = await withThrottleRetry(backoff, () =>
      ctx.clients.dynamo.send(
        new QueryCommand({
          TableName: ctx.resources.tables.Conversations,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
          ExpressionAttributeValues: { ':pk': conversationPk(userId, conversationId), ':msg': MESSAGE_SK_PREFIX },
          ExpressionAttributeNames: { '#hash': 'hash' },
          ProjectionExpression: 'sk, #hash, text_ref',
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    states.push(...((output.Items ?? []) as StoredMessageRow[]));
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return states;
}
