import { beforeAll, describe, expect, it } from 'vitest';
import { writeConversations } from '../../src/archive/writeConversations';
import { listMessages } from '../../src/archive/listMessages';
import { getConversation } from '../../src/archive/getConversation';
import { countWriteCalls } from '@threadline/testkit/writeCallCounter';
import type { StoreContext } from '../../src/archive/storeContext';
import { buildConversation } from './conversationBuilder';
import { rawItems } from './rawArchiveState';
import { pageMessageHashes } from '../../src/archive/storedPage';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-write');
});

const JAN = '2024-01-01T00:00:00.000Z';
const FEB = '2024-02-01T00:00:00.000Z';
const MAR = '2024-03-01T00:00:00.000Z';

async function allMessageTexts(userId: string, conversationId: string): Promise<string[]> {
  const page = await listMessages(ctx, userId, conversationId, { limit: 1000 });
  return page.items.map((message) => message.text);
}

describe('writeConversations', () => {
  it('imports a chunk, then an identical re-import writes nothing at all', async () => {
    const userId = 'user-reimport';
    const chunk = Array.from({ length: 30 }, (_, index) =>
      buildConversation({ id: `c${index}`, messages: Array.from({ length: index + 1 }, (_, m) => `m${m} of ${index}`) }),
    );
    const first = await writeConversations(ctx, userId, 'imp-1', chunk);
    expect(first.failures).toEqual([]);
    expect(first.counts).toMatchObject({ conversations_created: 30, conversations_updated: 0, conversations_unchanged: 0, conversations_failed: 0, messages_put: 465, messages_deleted: 0 });

    const counter = countWriteCalls(ctx.clients);
    try {
      const second = await writeConversations(ctx, userId, 'imp-2', chunk);
      expect(second.counts).toMatchObject({ conversations_created: 0, conversations_updated: 0, conversations_unchanged: 30, messages_put: 0, objects_offloaded: 0 });
      expect(counter.total()).toBe(0);
    } finally {
      counter.stop();
    }
    expect(await allMessageTexts(userId, 'c4')).toEqual(['m0 of 4', 'm1 of 4', 'm2 of 4', 'm3 of 4', 'm4 of 4']);
    expect((await getConversation(ctx, userId, 'c4'))?.import_id).toBe('imp-1');
  });

  it('an edited conversation that switched branches deletes exactly the stale messages and puts the new ones', async () => {
    const userId = 'user-branch';
    const before = buildConversation({ id: 'c1', update_time: JAN, messages: ['q1', 'a1', 'q2', 'a2', 'q3', 'a3'] });
    await writeConversations(ctx, userId, 'imp-1', [before]);

    // The user edited q2: a new branch from position 2, shorter than the old one.
    const after = buildConversation({ id: 'c1', update_time: FEB, messages: ['q1', 'a1', 'q2 edited', 'a2 new'] });
    const counter = countWriteCalls(ctx.clients);
    const result = await writeConversations(ctx, userId, 'imp-2', [after]);
    counter.stop();
    expect(result.counts).toMatchObject({ conversations_updated: 1, messages_put: 2, messages_deleted: 2 });
    // One page (the thread fits in one) and the META.
    expect(counter.calls).toEqual({ BatchWriteItemCommand: 1, PutItemCommand: 1 });

    const items = await rawItems(ctx, userId, 'c1');
    expect(items.map((item) => item.sk)).toEqual(['META', 'PAGE#000000']);
    expect(pageMessageHashes(items[1])).toHaveLength(4);
    expect(await allMessageTexts(userId, 'c1')).toEqual(['q1', 'a1', 'q2 edited', 'a2 new']);
    expect(items[0]).toMatchObject({ content_hash: after.content_hash, update_time: FEB, import_id: 'imp-2' });
  });

  it('an older export after a newer one is skipped_stale and rolls nothing back', async () => {
    const userId = 'user-stale';
    const newer = buildConversation({ id: 'c1', update_time: MAR, messages: ['new q', 'new a'] });
    const older = buildConversation({ id: 'c1', update_time: FEB, messages: ['old q', 'old a', 'old q2'] });
    await writeConversations(ctx, userId, 'imp-new', [newer]);
    const counter = countWriteCalls(ctx.clients);
    const result = await writeConversations(ctx, userId, 'imp-old', [older]);
    counter.stop();
    expect(result.counts).toMatchObject({ conversations_skipped_stale: 1, conversations_updated: 0, messages_put: 0 });
    expect(counter.total()).toBe(0);
    expect(await allMessageTexts(userId, 'c1')).toEqual(['new q', 'new a']);
  });

  it('a stale writer that loses the META race is skipped_stale, and the next import repairs its messages', async () => {
    const userId = 'user-race';
    const old = buildConversation({ id: 'c1', update_time: JAN, messages: ['q', 'a'] });
    const newer = buildConversation({ id: 'c1', update_time: MAR, messages: ['q', 'a newer'] });
    const late = buildConversation({ id: 'c1', update_time: FEB, messages: ['q', 'a late', 'extra'] });
    await writeConversations(ctx, userId, 'imp-0', [old]);
    // The late writer read the JAN META; the newer one commits before the late one writes.
    const result = await writeConversations(
      {
        ...ctx,
        faults: { beforeMessageWrites: () => writeConversations(ctx, userId, 'imp-newer', [newer]).then(() => undefined) },
      },
      userId,
      'imp-late',
      [late],
    );
    expect(result.counts).toMatchObject({ conversations_skipped_stale: 1, messages_put: 2 });
    const meta = (await rawItems(ctx, userId, 'c1'))[0];
    expect(meta).toMatchObject({ update_time: MAR, content_hash: newer.content_hash, messages_dirty: true });
    // Until the repair a reader sees the late writer's messages, cut to the committed META's
    // message_count ('extra' lies beyond it).
    expect(await allMessageTexts(userId, 'c1')).toEqual(['q', 'a late']);

    const repair = await writeConversations(ctx, userId, 'imp-newer-again', [newer]);
    expect(repair.counts).toMatchObject({ conversations_updated: 1, messages_put: 1, messages_deleted: 1 });
    expect(await allMessageTexts(userId, 'c1')).toEqual(['q', 'a newer']);
    expect((await rawItems(ctx, userId, 'c1'))[0].messages_dirty).toBeUndefined();
  });

  it('a crash between the message writes and the META commit, then a retry, converges', async () => {
    const userId = 'user-crash';
    const v1 = buildConversation({ id: 'c1', update_time: JAN, messages: ['a', 'b', 'c', 'd'] });
    const v2 = buildConversation({ id: 'c1', update_time: FEB, messages: ['a', 'B', 'c'] });
    const other = buildConversation({ id: 'c2', update_time: FEB, messages: ['x'] });
    await writeConversations(ctx, userId, 'imp-1', [v1]);

    const crashing: StoreContext = {
      ...ctx,
      faults: {
        beforeMetaCommit: (id) => {
          if (id === 'c1') throw new Error('injected crash');
        },
      },
    };
    const crashed = await writeConversations(crashing, userId, 'imp-2', [v2, other]);
    expect(crashed.counts).toMatchObject({ conversations_failed: 1, conversations_created: 1 });
    expect(crashed.failures).toEqual([{ conversation_id: 'c1', reason: 'Error: injected crash', throttled: false }]);
    // The old META is still the committed version.
    expect((await getConversation(ctx, userId, 'c1'))?.content_hash).toBe(v1.content_hash);

    const retried = await writeConversations(ctx, userId, 'imp-2', [v2, other]);
    expect(retried.counts).toMatchObject({ conversations_updated: 1, conversations_unchanged: 1, conversations_failed: 0, messages_put: 0, messages_deleted: 0 });
    expect(await allMessageTexts(userId, 'c1')).toEqual(['a', 'B', 'c']);
    expect((await getConversation(ctx, userId, 'c1'))?.content_hash).toBe(v2.content_hash);

    // A retry after completion reports everything unchanged.
    const again = await writeConversations(ctx, userId, 'imp-2', [v2, other]);
    expect(again.counts).toMatchObject({ conversations_unchanged: 2, conversations_created: 0, conversations_updated: 0, conversations_failed: 0 });
  });

  it('a crash during a first import leaves no META; the retry creates the conversation', async () => {
    const userId = 'user-crash-first';
    const conversation = buildConversation({ id: 'c1', messages: ['a', 'b'] });
    const crashing: StoreContext = { ...ctx, faults: { beforeMetaCommit: () => Promise.reject(new Error('boom')) } };
    await writeConversations(crashing, userId, 'imp-1', [conversation]);
    expect(await getConversation(ctx, userId, 'c1')).toBeNull();
    // Without a META the retry does not read what the crash left: it puts every page again
    // (same keys, so the leftovers are overwritten, not duplicated).
    const retried = await writeConversations(ctx, userId, 'imp-1', [conversation]);
    expect(retried.counts).toMatchObject({ conversations_created: 1, messages_put: 2 });
    expect((await rawItems(ctx, userId, 'c1')).map((item) => item.sk)).toEqual(['META', 'PAGE#000000']);
    expect(await allMessageTexts(userId, 'c1')).toEqual(['a', 'b']);
  });

  it('fails one bad conversation without stopping the others, and keeps the newest of repeated ids', async () => {
    const userId = 'user-mixed';
    const bad = buildConversation({ id: 'bad', messages: ['a', { text: 'b', position: 0 }] });
    const result = await writeConversations(ctx, userId, 'imp-1', [
      buildConversation({ id: 'ok1' }),
      bad,
      buildConversation({ id: '' }),
      buildConversation({ id: 'dup', update_time: FEB, messages: ['newer'] }),
      buildConversation({ id: 'dup', update_time: JAN, messages: ['older'] }),
    ]);
    expect(result.counts).toMatchObject({ conversations_created: 2, conversations_failed: 2, conversations_skipped_stale: 1 });
    expect(result.failures.map((failure) => failure.conversation_id).sort()).toEqual(['', 'bad']);
    expect(result.outcomes.map((outcome) => outcome.verdict)).toEqual(['created', 'failed', 'failed', 'created', 'skipped_stale']);
    expect(await allMessageTexts(userId, 'dup')).toEqual(['newer']);
  });

  it('writes a chunk larger than one BatchGetItem (100 keys)', async () => {
    const userId = 'user-big-chunk';
    const chunk = Array.from({ length: 230 }, (_, index) => buildConversation({ id: `c${index}`, messages: ['a'] }));
    expect((await writeConversations(ctx, userId, 'imp-1', chunk)).counts).toMatchObject({ conversations_created: 230, messages_put: 230 });
    expect((await writeConversations(ctx, userId, 'imp-2', chunk)).counts).toMatchObject({ conversations_unchanged: 230 });
  });
});
