// The message pages of a chunk's conversations share BatchWriteItems (25 requests a call), and a
// batch that DynamoDB refuses fails only the conversation at fault.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countWriteCalls } from '@threadline/testkit/writeCallCounter';
import { listMessages } from '../../src/archive/listMessages';
import { getConversation } from '../../src/archive/getConversation';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { buildConversation } from './conversationBuilder';
import { rawItems } from './rawArchiveState';
import { pageMessageHashes } from '../../src/archive/storedPage';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
let injected: string[] = [];
beforeAll(async () => {
  ctx = await createStoreTestContext('store-packed');
});
afterEach(() => {
  for (const name of injected) ctx.clients.dynamo.middlewareStack.remove(name);
  injected = [];
});

const messages = (count: number, tag: string) => Array.from({ length: count }, (_, index) => `${tag} m${index}`);

describe('packed writes', () => {
  it('new conversations of a chunk share full batches, then each META is committed', async () => {
    const userId = 'user-packed';
    // 10 × 40 messages = 10 × 3 pages: 2 calls packed (25 + 5), 10 unpacked.
    const chunk = Array.from({ length: 10 }, (_, index) => buildConversation({ id: `c${index}`, messages: messages(40, `c${index}`) }));
    const counter = countWriteCalls(ctx.clients);
    const result = await writeConversations(ctx, userId, 'imp-1', chunk);
    counter.stop();
    expect(result.counts).toMatchObject({ conversations_created: 10, conversations_failed: 0, messages_put: 400 });
    expect(counter.calls).toEqual({ BatchWriteItemCommand: 2, PutItemCommand: 10 });
    for (const index of [0, 5, 9]) {
      const page = await listMessages(ctx, userId, `c${index}`);
      expect(page.items.map((message) => message.text)).toEqual(messages(40, `c${index}`));
    }
  });

  it('changed and new conversations in one chunk: stale messages deleted, new ones put, all committed', async () => {
    const userId = 'user-packed-mixed';
    const before = Array.from({ length: 6 }, (_, index) =>
      buildConversation({ id: `c${index}`, update_time: '2024-01-01T00:00:00.000Z', messages: messages(9, 'v1') }),
    );
    await writeConversations(ctx, userId, 'imp-1', before);
    const after = [
      ...before.map((conversation, index) =>
        index % 2 === 0
          ? buildConversation({ id: `c${index}`, update_time: '2024-02-01T00:00:00.000Z', messages: [...messages(4, 'v1'), 'v2 tail'] })
          : conversation,
      ),
      ...Array.from({ length: 4 }, (_, index) => buildConversation({ id: `new${index}`, messages: messages(8, 'new') })),
    ];
    const result = await writeConversations(ctx, userId, 'imp-2', after);
    expect(result.counts).toMatchObject({ conversations_created: 4, conversations_updated: 3, conversations_unchanged: 3, conversations_failed: 0, messages_put: 3 + 32, messages_deleted: 3 * 4 });
    expect((await rawItems(ctx, userId, 'c2')).map((item) => [item.sk, item.sk === 'META' ? undefined : pageMessageHashes(item).length])).toEqual([['META', undefined], ['PAGE#000000', 5]]);
    expect((await listMessages(ctx, userId, 'c2')).items.map((message) => message.text)).toEqual([...messages(4, 'v1'), 'v2 tail']);
    expect((await listMessages(ctx, userId, 'c1')).items).toHaveLength(9);
    expect((await listMessages(ctx, userId, 'new3')).items).toHaveLength(8);
  });

  it('a batch DynamoDB refuses because of one conversation fails only that conversation', async () => {
    const userId = 'user-packed-refused';
    const name = 'refuse-bad-conversation';
    ctx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args: any) => {
        if (context.commandName === 'BatchWriteItemCommand' && JSON.stringify(args.input).includes('#CONV#bad')) {
          const error = new Error('One or more parameter values were invalid');
          error.name = 'ValidationException';
          throw error;
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    injected.push(name);
    // 'bad' sits between the others, so its messages share batches with both neighbours.
    const chunk = [
      buildConversation({ id: 'before', messages: messages(20, 'before') }),
      buildConversation({ id: 'bad', messages: messages(10, 'bad') }),
      buildConversation({ id: 'after', messages: messages(20, 'after') }),
    ];
    const result = await writeConversations(ctx, userId, 'imp-1', chunk);
    expect(result.failures).toEqual([{ conversation_id: 'bad', reason: 'ValidationException: One or more parameter values were invalid', throttled: false }]);
    expect(result.outcomes.map((outcome) => outcome.verdict)).toEqual(['created', 'failed', 'created']);
    expect(await getConversation(ctx, userId, 'bad')).toBeNull();
    expect((await listMessages(ctx, userId, 'before')).items).toHaveLength(20);
    expect((await listMessages(ctx, userId, 'after')).items).toHaveLength(20);
  });
});
