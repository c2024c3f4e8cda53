// Messages stored in pages of MESSAGES_PER_PAGE positions, on DynamoDB Local: which pages each
// kind of change writes, what a page too large for one item does, crashes at every step of a
// write followed by a retry, and readers running while an import writes.

import { brotliDecompressSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_PER_PAGE as P } from '../../src/archive/archiveLayout';
import { dynamoItemBytes, SAFE_ITEM_BYTES } from '../../src/aws/itemSize';
import { listMessages } from '../../src/archive/listMessages';
import { messagesAtPositions } from '../../src/archive/messagesAtPositions';
import { getConversation } from '../../src/archive/getConversation';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { pageMessageHashes, pageMessages } from '../../src/archive/storedPage';
import { messagePageItems } from '../../src/archive/messagePages';
import { buildConversation } from './conversationBuilder';
import { rawItems, rawObjectKeys } from './rawArchiveState';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
let injected: string[] = [];
beforeAll(async () => {
  ctx = await createStoreTestContext('store-pages');
});
afterEach(() => {
  for (const name of injected) ctx.clients.dynamo.middlewareStack.remove(name);
  injected = [];
});

const JAN = '2024-01-01T00:00:00.000Z';
const FEB = '2024-02-01T00:00:00.000Z';
const texts = (count: number, tag = 'm') => Array.from({ length: count }, (_, index) => `${tag} ${index}`);
const version = (time: string, messages: string[], id = 'c1') => buildConversation({ id, update_time: time, messages });

/** The sort keys each BatchWriteItem put or deleted, in order, while `work` runs. */
async function batchWrites(work: () => Promise<unknown>): Promise<{ put: string[]; deleted: string[] }> {
  const seen = { put: [] as string[], deleted: [] as string[] };
  const name = `record-batch-writes-${injected.length}`;
  ctx.clients.dynamo.middlewareStack.add(
    (next, context) => async (args: any) => {
      if (context.commandName === 'BatchWriteItemCommand') {
        for (const requests of Object.values(args.input.RequestItems) as any[]) {
          for (const request of requests) {
            if (request.PutRequest) seen.put.push(request.PutRequest.Item.sk);
            else seen.deleted.push(request.DeleteRequest.Key.sk);
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  injected.push(name);
  try {
    await work();
  } finally {
    ctx.clients.dynamo.middlewareStack.remove(name);
    injected = injected.filter((other) => other !== name);
  }
  return seen;
}

async function thread(userId: string, conversationId = 'c1', limit = 7): Promise<string[]> {
  const all: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages(ctx, userId, conversationId, { cursor, limit });
    all.push(...page.items.map((message) => message.text));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return all;
}

const pageKeys = async (userId: string) => (await rawItems(ctx, userId, 'c1')).map((item) => item.sk);

describe('page boundaries', () => {
  it('a growing thread rewrites only its last page and adds the new ones', async () => {
    const userId = 'user-grow';
    await writeConversations(ctx, userId, 'imp-1', [version(JAN, texts(P + 5))]);
    let result;
    const writes = await batchWrites(async () => {
      result = await writeConversations(ctx, userId, 'imp-2', [version(FEB, texts(2 * P + 2))]);
    });
    expect(writes).toEqual({ put: ['PAGE#000001', 'PAGE#000002'], deleted: [] });
    expect(result!.counts).toMatchObject({ conversations_updated: 1, messages_put: P - 3, messages_deleted: 0 });
    expect(await pageKeys(userId)).toEqual(['META', 'PAGE#000000', 'PAGE#000001', 'PAGE#000002']);
    expect(await thread(userId)).toEqual(texts(2 * P + 2));
  });

  it('an edit in the middle rewrites the pages from the edit on, not the ones before', async () => {
    const userId = 'user-edit';
    await writeConversations(ctx, userId, 'imp-1', [version(JAN, texts(3 * P))]);
    const edited = texts(3 * P);
    edited[P + 3] = 'edited in the middle';
    let result;
    const writes = await batchWrites(async () => {
      result = await writeConversations(ctx, userId, 'imp-2', [version(FEB, edited)]);
    });
    expect(writes).toEqual({ put: ['PAGE#000001'], deleted: [] });
    expect(result!.counts).toMatchObject({ conversations_updated: 1, messages_put: 1, messages_deleted: 0 });
    expect(await thread(userId)).toEqual(edited);
  });

  it('a shrinking thread rewrites its new last page and deletes the pages past its end', async () => {
    const userId = 'user-shrink';
    await writeConversations(ctx, userId, 'imp-1', [version(JAN, texts(3 * P + 1))]);
    const shorter = [...texts(P + 1), 'new branch'];
    let result;
    const writes = await batchWrites(async () => {
      result = await writeConversations(ctx, userId, 'imp-2', [version(FEB, shorter)]);
    });
    expect(writes).toEqual({ put: ['PAGE#000001'], deleted: ['PAGE#000002', 'PAGE#000003'] });
    // Position P+1 changed; P+2 … 3P are gone.
    expect(result!.counts).toMatchObject({ conversations_updated: 1, messages_put: 1, messages_deleted: 3 * P + 1 - (P + 2) });
    expect(await pageKeys(userId)).toEqual(['META', 'PAGE#000000', 'PAGE#000001']);
    expect(await thread(userId)).toEqual(shorter);
  });

  it('a page whose messages would exceed the item limit keeps its largest texts in S3, and reads back byte-equal', async () => {
    const userId = 'user-big-page';
    // P messages of ~30 KB (multi-byte): ~500 KB for one page.
    const large = Array.from({ length: P }, (_, index) => `${index} `.padEnd(15_000 + 500 * index, 'é'));
    const conversation = buildConversation({ id: 'c1', update_time: JAN, messages: [...large, 'after'], transcript: 'small', raw_text: 'small' });
    const result = await writeConversations(ctx, userId, 'imp-1', [conversation]);
    expect(result.failures).toEqual([]);
    const [, page, lastPage] = await rawItems(ctx, userId, 'c1');
    expect(dynamoItemBytes(page)).toBeLessThanOrEqual(SAFE_ITEM_BYTES);
    const messages = pageMessages(page);
    const offloaded = messages.filter((message) => message.text_ref).length;
    expect(offloaded).toBeGreaterThan(0);
    expect(messages.filter((message) => typeof message.text === 'string').length).toBe(P - offloaded);
    expect(page.offloaded_keys).toHaveLength(offloaded);
    expect(lastPage.offloaded_keys).toBeUndefined();
    expect(result.counts.objects_offloaded).toBe(offloaded);
    expect(await rawObjectKeys(ctx, userId, 'c1')).toEqual([...page.offloaded_keys].sort());
    const read = await thread(userId, 'c1', 1000);
    expect(read.length).toBe(P + 1);
    expect(read.every((text, index) => text === [...large, 'after'][index])).toBe(true);

    // Small again: the page goes back inline and its objects are deleted after the commit.
    const small = await writeConversations(ctx, userId, 'imp-2', [version(FEB, texts(P + 1))]);
    expect(small.counts).toMatchObject({ conversations_updated: 1, objects_deleted: offloaded });
    expect(await rawObjectKeys(ctx, userId, 'c1')).toEqual([]);
    expect(await thread(userId)).toEqual(texts(P + 1));
  });
});

describe('how a page is stored', () => {
  it('its messages as one compressed attribute and its hashes as one binary attribute, not lists', async () => {
    const userId = 'user-compressed-page';
    const conversation = version(JAN, texts(P + 1));
    await writeConversations(ctx, userId, 'imp-1', [conversation]);
    const [, page] = await rawItems(ctx, userId, 'c1');
    expect(page.messages).toBeUndefined();
    expect(page.hashes).toBeUndefined();
    expect(page.messages_br).toBeInstanceOf(Uint8Array);
    expect(brotliDecompressSync(page.messages_br).length).toBeGreaterThan(page.messages_br.length);
    expect(pageMessages(page).map((message) => message.text)).toEqual(texts(P));
    // The first 16 bytes of each message's hash; the page hash stays that of the full hashes.
    const full = messagePageItems(userId, 'c1', conversation.messages)[0]!;
    expect(page.hashes_bin.byteLength).toBe(16 * P);
    expect(pageMessageHashes(page)).toEqual(full.hashes.map((hash) => hash.slice(0, 32)));
    expect(page.page_hash).toBe(full.page_hash);
  });

  it('pages written before, with lists, still read, and a change rewrites and counts only what it touches', async () => {
    const userId = 'user-plain-page';
    const before = version(JAN, texts(2 * P + 3));
    await writeConversations(ctx, userId, 'imp-1', [before]);
    // Every page the way earlier code stored it: messages and full hashes as lists.
    for (const page of messagePageItems(userId, 'c1', before.messages)) {
      await ctx.clients.dynamo.send(new PutCommand({ TableName: ctx.resources.tables.Conversations, Item: page }));
    }
    expect((await rawItems(ctx, userId, 'c1')).filter((item) => item.messages_br || item.hashes_bin)).toEqual([]);

    expect(await thread(userId)).toEqual(texts(2 * P + 3));
    const snippets = await messagesAtPositions(ctx, userId, new Map([['c1', [0, P + 1, 2 * P + 2]]]));
    expect([...snippets.get('c1')!.values()].sort((a, b) => a.position - b.position).map((message) => message.text)).toEqual(['m 0', `m ${P + 1}`, `m ${2 * P + 2}`]);

    // The thread grows: the old pages' full hashes compare like the new short ones, so only the
    // last page is put and only the two new messages count.
    const grown = version(FEB, texts(2 * P + 5));
    let result: Awaited<ReturnType<typeof writeConversations>> | undefined;
    const writes = await batchWrites(async () => (result = await writeConversations(ctx, userId, 'imp-2', [grown])));
    expect(writes.put).toEqual(['PAGE#000002']);
    expect(result!.counts).toMatchObject({ messages_put: 2, messages_deleted: 0 });
    const items = await rawItems(ctx, userId, 'c1');
    expect(items.map((item) => [item.sk, item.messages_br && item.hashes_bin ? 'compressed' : item.messages && item.hashes ? 'lists' : '-'])).toEqual([
      ['META', '-'],
      ['PAGE#000000', 'lists'],
      ['PAGE#000001', 'lists'],
      ['PAGE#000002', 'compressed'],
    ]);
    expect(await thread(userId)).toEqual(texts(2 * P + 5));

    // An edit on an old page and one on the new page: each counts as one message put.
    const edited = texts(2 * P + 5);
    edited[1] = 'edited early';
    edited[2 * P + 4] = 'edited late';
    const again = await writeConversations(ctx, userId, 'imp-3', [version('2024-03-01T00:00:00.000Z', edited)]);
    expect(again.counts).toMatchObject({ messages_put: 2, messages_deleted: 0 });
    expect(await thread(userId)).toEqual(edited);
  });
});

describe('a crash at each step of a write, then a retry, converges', () => {
  const v1 = () => version(JAN, texts(3 * P + 2, 'v1'));
  // v2: grows one page, edits page 1, drops nothing: then shrinks past page 2 in v3.
  const v2 = () => {
    const messages = texts(4 * P + 1, 'v1');
    messages[P + 1] = 'edited';
    return version(FEB, messages);
  };
  const crashes: Record<string, (crashAt: (id: string) => never) => Partial<StoreContext>> = {
    'before anything is written': (crash) => ({ faults: { beforeMessageWrites: crash } }),
    'after the pages, before the META commit': (crash) => ({ faults: { beforeMetaCommit: crash } }),
    'after the META commit, before the cleanup': (crash) => ({ faults: { afterMetaCommit: crash } }),
  };

  for (const [step, faults] of Object.entries(crashes)) {
    it(step, async () => {
      const userId = `user-crash-${step.replace(/[^a-z]+/g, '-')}`.slice(0, 60);
      await writeConversations(ctx, userId, 'imp-1', [v1()]);
      const crash = (): never => {
        throw new Error('injected crash');
      };
      const crashed = await writeConversations({ ...ctx, ...faults(crash) }, userId, 'imp-2', [v2()]);
      if (step.startsWith('after the META')) {
        expect(crashed.cleanup_failures).toHaveLength(1);
        expect(crashed.counts).toMatchObject({ conversations_updated: 1, conversations_failed: 0 });
      } else {
        expect(crashed.counts).toMatchObject({ conversations_failed: 1 });
        expect((await getConversation(ctx, userId, 'c1'))?.content_hash).toBe(v1().content_hash);
      }
      const retried = await writeConversations(ctx, userId, 'imp-2', [v2()]);
      expect(retried.failures).toEqual([]);
      expect(await thread(userId)).toEqual(v2().messages.map((message) => message.text));
      expect(await pageKeys(userId)).toEqual(['META', ...Array.from({ length: 5 }, (_, i) => `PAGE#00000${i}`)]);
      expect((await getConversation(ctx, userId, 'c1'))?.content_hash).toBe(v2().content_hash);
      // And once converged, the same version again writes nothing.
      expect((await writeConversations(ctx, userId, 'imp-2', [v2()])).counts).toMatchObject({ conversations_unchanged: 1, messages_put: 0 });
    });
  }

  it('part-way through the page writes (one batch lost), the retry completes the thread', async () => {
    const userId = 'user-crash-mid-pages';
    // 30 pages: two batches; the second fails with an error DynamoDB could answer.
    const long = version(JAN, texts(30 * P, 'long'));
    let calls = 0;
    const name = 'fail-second-batch';
    ctx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args: any) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++calls === 2) {
          const error = new Error('injected');
          error.name = 'InternalServerError';
          throw error;
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    injected.push(name);
    const crashed = await writeConversations(ctx, userId, 'imp-1', [long]);
    expect(crashed.counts).toMatchObject({ conversations_failed: 1 });
    expect(await getConversation(ctx, userId, 'c1')).toBeNull();
    expect(await thread(userId)).toEqual([]);
    const retried = await writeConversations(ctx, userId, 'imp-1', [long]);
    expect(retried.counts).toMatchObject({ conversations_created: 1, messages_put: 30 * P });
    expect(await thread(userId, 'c1', 1000)).toEqual(texts(30 * P, 'long'));
  });
});

describe('reads during an import', () => {
  it('see each conversation either not yet there or whole, and a growing thread either before or after, never a mix', async () => {
    const userId = 'user-concurrent';
    const growing = Array.from({ length: 6 }, (_, index) => version(JAN, texts(P + 3 + index, `g${index}`), `grow${index}`));
    await writeConversations(ctx, userId, 'imp-1', growing);
    const grown = growing.map((conversation, index) => version(FEB, texts(3 * P + index, `g${index}`), `grow${index}`));
    const fresh = Array.from({ length: 20 }, (_, index) => version(JAN, texts(2 * P + index, `n${index}`), `new${index}`));

    let writing = true;
    const observed = { partial: 0, reads: 0, before: 0, after: 0 };
    const reader = async () => {
      while (writing) {
        for (let index = 0; index < 6; index++) {
          const seen = await thread(userId, `grow${index}`, 1000);
          observed.reads += 1;
          if (JSON.stringify(seen) === JSON.stringify(growing[index].messages.map((m) => m.text))) observed.before += 1;
          else if (JSON.stringify(seen) === JSON.stringify(grown[index].messages.map((m) => m.text))) observed.after += 1;
          else observed.partial += 1;
        }
        for (let index = 0; index < 20; index += 5) {
          const seen = await thread(userId, `new${index}`, 1000);
          observed.reads += 1;
          if (seen.length !== 0 && JSON.stringify(seen) !== JSON.stringify(fresh[index].messages.map((m) => m.text))) observed.partial += 1;
        }
      }
    };
    const readers = [reader(), reader()];
    const result = await writeConversations({ ...ctx, batchWritesInFlight: 2 }, userId, 'imp-2', [...grown, ...fresh]);
    writing = false;
    await Promise.all(readers);
    expect(result.failures).toEqual([]);
    expect(observed.reads).toBeGreaterThan(0);
    expect(observed.partial).toBe(0);
    for (let index = 0; index < 6; index++) expect(await thread(userId, `grow${index}`, 1000)).toEqual(grown[index].messages.map((m) => m.text));
  });
});
