import { beforeAll, describe, expect, it } from 'vitest';
import { deleteConversationsNotIn } from '../../src/archive/deleteConversationsNotIn';
import { listConversations } from '../../src/archive/listConversations';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { buildConversation } from './conversationBuilder';
import { rawItems, rawObjectKeys } from './rawArchiveState';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-mirror');
});

async function listedIds(userId: string): Promise<string[]> {
  return (await listConversations(ctx, userId, { limit: 200 })).items.map((summary) => summary.conversation_id).sort();
}

describe('mirror mode', () => {
  it("deletes only the conversations missing from the export, and only the user's own", async () => {
    const userId = 'user-mirror';
    const conversations = Array.from({ length: 8 }, (_, index) =>
      buildConversation({
        id: `c${index}`,
        messages: index === 3 ? ['a', 'b'.repeat(400_000)] : ['a', 'b'],
        transcript: 'small',
        raw_text: 'small',
      }),
    );
    await writeConversations(ctx, userId, 'imp-1', conversations);
    await writeConversations(ctx, 'other-user', 'imp-x', [buildConversation({ id: 'c3' }), buildConversation({ id: 'zz' })]);
    expect(await rawObjectKeys(ctx, userId, 'c3')).toHaveLength(1);

    async function* exportIds() {
      for (const id of ['c0', 'c1', 'c2', 'c5', 'c7', 'not-stored']) yield id;
    }
    const result = await deleteConversationsNotIn({ ...ctx }, userId, exportIds());
    expect(result).toEqual({ conversations_deleted: 3, messages_deleted: 6, objects_deleted: 1, assets_deleted: 0 });
    expect(await listedIds(userId)).toEqual(['c0', 'c1', 'c2', 'c5', 'c7']);
    expect(await rawItems(ctx, userId, 'c3')).toEqual([]);
    expect(await rawObjectKeys(ctx, userId, 'c3')).toEqual([]);
    expect(await listedIds('other-user')).toEqual(['c3', 'zz']);

    // Running it again with the same set deletes nothing.
    expect(await deleteConversationsNotIn(ctx, userId, new Set(['c0', 'c1', 'c2', 'c5', 'c7']))).toEqual({
      conversations_deleted: 0,
      messages_deleted: 0,
      objects_deleted: 0,
      assets_deleted: 0,
    });
  });

  it('pages through more conversations than one index page returns', async () => {
    const userId = 'user-mirror-many';
    const padding = 'p'.repeat(20_000); // ~20 KB META items: a 1 MB query page holds ~50
    const conversations = Array.from({ length: 150 }, (_, index) =>
      buildConversation({ id: `c${index}`, messages: ['a'], transcript: padding }),
    );
    await writeConversations(ctx, userId, 'imp-1', conversations);
    const keep = new Set(conversations.filter((_, index) => index % 3 === 0).map((c) => c.conversation_id));
    const result = await deleteConversationsNotIn(ctx, userId, keep);
    expect(result.conversations_deleted).toBe(100);
    expect(await listedIds(userId)).toEqual([...keep].sort());
  });
});
