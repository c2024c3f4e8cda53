// A chunk's file references, on DynamoDB Local: those of new conversations share full
// BatchWriteItems, and each conversation still ends up pointing at exactly its files.

import { beforeAll, describe, expect, it } from 'vitest';
import { countWriteCalls } from '@threadline/testkit/writeCallCounter';
import { storedConversationFiles } from '../../src/archive/assetReferences';
import type { StoreContext } from '../../src/archive/storeContext';
import { linkConversationFiles } from '../../src/importWorkflow/steps/linkConversationFiles';
import { buildConversation } from '../archive/conversationBuilder';
import { createStoreTestContext } from '../archive/storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('link-files');
});

/** Conversation `c<n>` points at `files` files of its own in its first message. */
const withFiles = (index: number, files: number) =>
  buildConversation({
    id: `c${index}`,
    messages: [{ text: 'see attached', asset_pointers: Array.from({ length: files }, (_, file) => `sediment://file_c${index}f${file}`) }, 'ok'],
  });

describe('linkConversationFiles', () => {
  it("packs new conversations' references into full batches", async () => {
    const userId = 'user-link-packed';
    // 30 conversations × 3 files × 2 items = 180 requests: 8 calls packed (7 × 25 + 5), 30 alone.
    const conversations = Array.from({ length: 30 }, (_, index) => withFiles(index, 3));
    const outcomes = conversations.map((conversation) => ({ conversation_id: conversation.conversation_id, verdict: 'created' as const }));
    const counter = countWriteCalls(ctx.clients);
    const result = await linkConversationFiles(ctx, userId, conversations, outcomes, new Set(['file_c4f1']));
    counter.stop();
    expect(counter.calls).toEqual({ BatchWriteItemCommand: 8 });
    expect(result).toEqual({ assets_missing: 1, objects_deleted: 0 });
    for (const index of [0, 13, 29]) {
      expect((await storedConversationFiles(ctx, userId, `c${index}`)).sort()).toEqual([`file_c${index}f0`, `file_c${index}f1`, `file_c${index}f2`]);
    }
  });

  it('an updated conversation gains its new files and loses the dropped ones', async () => {
    const userId = 'user-link-updated';
    const before = withFiles(1, 2);
    await linkConversationFiles(ctx, userId, [before], [{ conversation_id: 'c1', verdict: 'created' }], new Set());
    const after = buildConversation({ id: 'c1', messages: [{ text: 'now this one', asset_pointers: ['sediment://file_c1f1', 'sediment://file_new'] }] });
    await linkConversationFiles(ctx, userId, [after], [{ conversation_id: 'c1', verdict: 'updated' }], new Set());
    expect((await storedConversationFiles(ctx, userId, 'c1')).sort()).toEqual(['file_c1f1', 'file_new']);
  });
});
