// Every page of a Query, retried on throttling with the store's backoff: the one loop over
// LastEvaluatedKey that the store, the files' references and the search index share.

import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { defaultRetryBackoff, withThrottleRetry } from './retryBackoff';
import type { StoreContext } from '../archive/storeContext';

export async function* queryPages(ctx: StoreContext, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>[]> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const output = await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey })));
    yield (output.Items ?? []) as Record<string, unknown>[];
    startKey = output.LastEvaluatedKey;
  } while (startKey);
}
