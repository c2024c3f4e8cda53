// Orphans: a first attempt that crashed before its META commit can leave more pages than the
// version finally committed (new conversations skip reading what is stored). The META decides
// what readers see; the next changed import or a delete removes the orphans themselves.

import { beforeAll, describe, expect, it } from 'vitest';
import { deleteConversation } from '../../src/archive/deleteConversation';
import { deleteConversationsNotIn } from '../../src/archive/deleteConversationsNotIn';
import { getConversation } from '../../src/archive/getConversation';
import { listMessages } from '../../src/archive/listMessages';
import { pageMessages } from '../../src/archive/storedPage';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { MESSAGES_PER_PAGE as P } from '../../src/archive/archiveLayout';
import { buildConversation } from './conversationBuilder';
import { rawItems } from './rawArchiveState';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-orphans');
});

const JAN = '2024-01-01T00:00:00.000Z';
const FEB = '2024-02-01T00:00:00.000Z';
const MAR = '2024-03-01T00:00:00.000Z';

const crashingBeforeMeta: () => StoreContext = () => ({
  ...ctx,
  faults: { beforeMetaCommit: () => Promise.reject(new Error('injected crash')) },
});

async function allMessageTexts(userId: string, conversationId: string, limit = 1000): Promise<string[]> {
  const texts: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages(ctx, userId, conversationId, { cursor, limit });
    texts.push(...page.items.map((message) => message.text));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return texts;
}

const texts = (count: number, tag: string) => Array.from({ length: count }, (_, index) => `${tag} ${index}`);
const shortThread = texts(P + 3, 'short');

/** A crashed first attempt of three pages, then a different, shorter version (two pages) committed. */
async function crashThenShorterVersion(userId: string) {
  const long = buildConversation({ id: 'c1', update_time: JAN, messages: texts(3 * P, 'long') });
  const crashed = await writeConversations(crashingBeforeMeta(), userId, 'imp-1', [long]);
  expect(crashed.counts).toMatchObject({ conversations_failed: 1, messages_put: 3 * P });
  // Nothing committed: no conversation, and its leftovers are not shown.
  expect(await getConversation(ctx, userId, 'c1')).toBeNull();
  expect(await allMessageTexts(userId, 'c1')).toEqual([]);

  const short = buildConversation({ id: 'c1', update_time: FEB, messages: shortThread });
  const created = await writeConversations(ctx, userId, 'imp-2', [short]);
  expect(created.counts).toMatchObject({ conversations_created: 1, conversations_failed: 0, messages_put: P + 3, messages_deleted: 0 });
  return short;
}

describe('orphan messages', () => {
  it('readers see exactly the committed thread, not what a crashed longer attempt left beyond it', async () => {
    const userId = 'user-orphans-read';
    await crashThenShorterVersion(userId);

    const items = await rawItems(ctx, userId, 'c1');
    expect(items.map((item) => item.sk)).toEqual(['META', 'PAGE#000000', 'PAGE#000001', 'PAGE#000002']);
    expect(pageMessages(items[3])[0].text).toBe(`long ${2 * P}`);
    expect(await getConversation(ctx, userId, 'c1')).toMatchObject({ message_count: P + 3 });
    expect(await allMessageTexts(userId, 'c1')).toEqual(shortThread);
    // Paged too: the page that reaches the end of the thread has no cursor, whatever follows it.
    expect(await allMessageTexts(userId, 'c1', 1)).toEqual(shortThread);
    expect(await allMessageTexts(userId, 'c1', 5)).toEqual(shortThread);
    const lastPage = await listMessages(ctx, userId, 'c1', { limit: P + 3 });
    expect(lastPage.cursor).toBeNull();
  });

  it('the next changed import deletes the orphans', async () => {
    const userId = 'user-orphans-changed';
    await crashThenShorterVersion(userId);

    const changed = buildConversation({ id: 'c1', update_time: MAR, messages: [...shortThread, 'new 1', 'new 2'] });
    const updated = await writeConversations(ctx, userId, 'imp-3', [changed]);
    // The two new messages are put (page 1 rewritten), the orphan page's P messages deleted.
    expect(updated.counts).toMatchObject({ conversations_updated: 1, messages_put: 2, messages_deleted: P });
    expect((await rawItems(ctx, userId, 'c1')).map((item) => item.sk)).toEqual(['META', 'PAGE#000000', 'PAGE#000001']);
    expect(await allMessageTexts(userId, 'c1')).toEqual([...shortThread, 'new 1', 'new 2']);
  });

  it('deleting the conversation, alone or by mirror, removes the orphans too', async () => {
    const userId = 'user-orphans-delete';
    await crashThenShorterVersion(userId);
    expect(await deleteConversation(ctx, userId, 'c1')).toMatchObject({ existed: true, messages_deleted: 2 * P + 3 });
    expect(await rawItems(ctx, userId, 'c1')).toEqual([]);

    const mirrorUser = 'user-orphans-mirror';
    await crashThenShorterVersion(mirrorUser);
    expect(await deleteConversationsNotIn(ctx, mirrorUser, new Set())).toMatchObject({ conversations_deleted: 1, messages_deleted: 2 * P + 3 });
    expect(await rawItems(ctx, mirrorUser, 'c1')).toEqual([]);
  });
});
