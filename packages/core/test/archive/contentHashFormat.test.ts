// The content hash's format changed (format 2 hashes the messages' JSON, so `convert`
// serializes each message once). An archive written with format-1 hashes must converge: the
// first import after the change sees every conversation as changed but, the per-message hashes
// being the same, rewrites only META; the next import writes nothing.

import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedConversation } from '../../src/conversation/normalizedConversation';
import { writeConversations } from '../../src/archive/writeConversations';
import { countWriteCalls } from '@threadline/testkit/writeCallCounter';
import type { StoreContext } from '../../src/archive/storeContext';
import { buildConversation } from './conversationBuilder';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-hash-format');
});

/** A content hash as the previous format wrote it: field arrays, not the messages' JSON. */
function formatOneHash(conversation: NormalizedConversation): string {
  const hash = createHash('sha256').update(
    JSON.stringify(['threadline-conversation/1', conversation.conversation_id, conversation.title, conversation.create_time, conversation.update_time, conversation.model, conversation.is_archived]),
  );
  for (const m of conversation.messages) {
    hash.update('\n' + JSON.stringify([m.id, m.position, m.role, m.author_name, m.content_type, m.text, m.create_time, m.model, m.recipient, m.attachments.map((a) => [a.id, a.name, a.mime_type, a.size]), m.asset_pointers]));
  }
  return hash.digest('hex');
}

describe('a content hash format change', () => {
  it('rewrites only META once, then nothing', async () => {
    const userId = 'user-hash-format';
    const current = Array.from({ length: 12 }, (_, index) =>
      buildConversation({ id: `c${index}`, messages: Array.from({ length: index + 2 }, (_, m) => `m${m} of ${index}`) }),
    );
    const written = current.map((conversation) => ({ ...conversation, content_hash: formatOneHash(conversation) }));
    expect(written[0].content_hash).not.toBe(current[0].content_hash);
    const before = await writeConversations(ctx, userId, 'imp-old', written);
    expect(before.counts).toMatchObject({ conversations_created: 12, conversations_failed: 0 });

    const after = await writeConversations(ctx, userId, 'imp-new', current);
    expect(after.counts).toMatchObject({ conversations_created: 0, conversations_updated: 12, conversations_unchanged: 0, conversations_failed: 0, messages_put: 0, messages_deleted: 0 });

    const counter = countWriteCalls(ctx.clients);
    try {
      const again = await writeConversations(ctx, userId, 'imp-again', current);
      expect(again.counts).toMatchObject({ conversations_updated: 0, conversations_unchanged: 12, messages_put: 0 });
      expect(counter.total()).toBe(0);
    } finally {
      counter.stop();
    }
  });
});
