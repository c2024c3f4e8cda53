// BatchWriteItem in groups of 25 (DynamoDB's limit). A batch is not atomic and may hand back
// UnprocessedItems; those and throttling errors are retried with bounded backoff.

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '../archive/conversationKeys';
import { defaultRetryBackoff, fullJitterDelay, RetriesExhaustedError, withThrottleRetry } from './retryBackoff';
import type { StoreContext } from '../archive/storeContext';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: ItemKey } };

export const BATCH_WRITE_LIMIT = 25;

export function putRequest(item: object): WriteRequest {
  return { PutRequest: { Item: item as Record<string, unknown> } };
}

export function deleteRequest(key: ItemKey): WriteRequest {
  return { DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } };
}

export async function batchWriteItems(ctx: StoreContext, tableName: string, requests: WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    await writeBatch(ctx, tableName, requests.slice(start, start + BATCH_WRITE_LIMIT));
  }
}

/** One BatchWriteItem of at most 25 requests, re-sending its UnprocessedItems until none are left. */
export async function writeBatch(ctx: StoreContext, tableName: string, batch: WriteRequest[]): Promise<void> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) {
      if (attempt >= backoff.maxAttempts) {
        throw new RetriesExhaustedError(`${pending.length} writes still unprocessed after ${attempt} attempts`);
      }
      await backoff.sleep(fullJitterDelay(attempt - 1, backoff));
    }
    const requests = pending;
    const output = await withThrottleRetry(backoff, () =>
      ctx.clients.dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } })),
    );
    pending = (output.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
}
