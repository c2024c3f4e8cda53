// Unprocessed batch entries and throttling, injected with SDK middleware on the real client
// (DynamoDB Local never throttles): the real calls still run, only their answers are altered.
// At the build step the input is already marshalled while the document client has already
// unmarshalled the output, so injected answers are written in document form.

import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchGetItems } from '../../src/aws/batchGetItems';
import { batchWriteItems, putRequest } from '../../src/aws/batchWriteItems';
import { RetriesExhaustedError, type RetryBackoff } from '../../src/aws/retryBackoff';
import type { StoreContext } from '../../src/archive/storeContext';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
let injected: string[] = [];
beforeAll(async () => {
  ctx = await createStoreTestContext('store-retries');
});
afterEach(() => {
  for (const name of injected) ctx.clients.dynamo.middlewareStack.remove(name);
  injected = [];
});

function recordingBackoff(maxAttempts = 6): RetryBackoff & { waits: number[] } {
  const waits: number[] = [];
  return { maxAttempts, baseMs: 10, capMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms), waits };
}

/** Alters the answers of the first `times` calls of `command`. */
function injectOnce(command: string, times: number, alter: (input: any, output: any) => void | never) {
  let seen = 0;
  const name = `inject-${command}-${injected.length}`;
  ctx.clients.dynamo.middlewareStack.add(
    (next, context) => async (args: any) => {
      if (context.commandName !== command || seen >= times) return next(args);
      seen += 1;
      const result: any = await next(args);
      alter(args.input, result.output);
      return result;
    },
    { step: 'build', name },
  );
  injected.push(name);
}

const items = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ pk: `${prefix}#${index}`, sk: 'META', n: index }));

describe('batch retries', () => {
  it('re-sends UnprocessedItems with backoff until all are written', async () => {
    const table = ctx.resources.tables.Conversations;
    injectOnce('BatchWriteItemCommand', 2, (input, output) => {
      output.UnprocessedItems = {
        [table]: input.RequestItems[table].slice(-5).map((request: any) => ({ PutRequest: { Item: unmarshall(request.PutRequest.Item) } })),
      };
    });
    const backoff = recordingBackoff();
    await batchWriteItems({ ...ctx, backoff }, table, items('unprocessed', 30).map(putRequest));
    // 30 items = batches of 25 and 5; the first batch is answered "5 unprocessed" twice.
    expect(backoff.waits).toEqual([10, 20]);
    const found = await batchGetItems(ctx, table, items('unprocessed', 30));
    expect(found).toHaveLength(30);
  });

  it('retries throttling errors and gives up after maxAttempts', async () => {
    const table = ctx.resources.tables.Conversations;
    const throttle = () => {
      const error = new Error('Rate exceeded');
      error.name = 'ProvisionedThroughputExceededException';
      throw error;
    };
    injectOnce('BatchWriteItemCommand', 2, throttle);
    const backoff = recordingBackoff();
    await batchWriteItems({ ...ctx, backoff }, table, items('throttled', 3).map(putRequest));
    expect(backoff.waits).toEqual([10, 20]);

    injectOnce('BatchWriteItemCommand', 100, (input, output) => {
      output.UnprocessedItems = {
        [table]: input.RequestItems[table].map((request: any) => ({ PutRequest: { Item: unmarshall(request.PutRequest.Item) } })),
      };
    });
    await expect(batchWriteItems({ ...ctx, backoff: recordingBackoff(3) }, table, items('never', 2).map(putRequest))).rejects.toThrow(
      RetriesExhaustedError,
    );
  });

  it('re-reads UnprocessedKeys of BatchGetItem', async () => {
    const table = ctx.resources.tables.Conversations;
    await batchWriteItems(ctx, table, items('get', 120).map(putRequest));
    injectOnce('BatchGetItemCommand', 1, (input, output) => {
      const keys = input.RequestItems[table].Keys.slice(-7).map((key: any) => unmarshall(key));
      const skipped = new Set(keys.map((key: any) => key.pk));
      output.Responses[table] = output.Responses[table].filter((item: any) => !skipped.has(item.pk));
      output.UnprocessedKeys = { [table]: { Keys: keys } };
    });
    const backoff = recordingBackoff();
    const found = await batchGetItems({ ...ctx, backoff }, table, items('get', 120), ['pk', 'n']);
    expect(found.map((item) => item.n).sort((a: any, b: any) => a - b)).toEqual(Array.from({ length: 120 }, (_, index) => index));
    expect(backoff.waits).toEqual([10]);
  });
});
