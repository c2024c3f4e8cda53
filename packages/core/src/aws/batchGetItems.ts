// BatchGetItem in groups of 100 (DynamoDB's limit), retrying UnprocessedKeys and throttling
// with bounded backoff. Returns the items found, in no particular order.

import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '../archive/conversationKeys';
import { defaultRetryBackoff, fullJitterDelay, RetriesExhaustedError, withThrottleRetry } from './retryBackoff';
import type { StoreContext } from '../archive/storeContext';

const BATCH_GET_LIMIT = 100;

export async function batchGetItems(
  ctx: StoreContext,
  tableName: string,
  keys: ItemKey[],
  attributes?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const projection = attributes?.length
    ? {
        ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name])),
      }
    : {};
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_LIMIT).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt >= backoff.maxAttempts) {
          throw new RetriesExhaustedError(`${pending.length} reads still unprocessed after ${attempt} attempts`);
        }
        await backoff.sleep(fullJitterDelay(attempt - 1, backoff));
      }
      const batch = pending;
      const output = await withThrottleRetry(backoff, () =>
        ctx.clients.dynamo.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch, ConsistentRead: true, ...projection } } }),
        ),
      );
      found.push(...((output.Responses?.[tableName] ?? []) as Record<string, unknown>[]));
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}
