import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../src/archive/conversationKeys';
import { deleteConversation } from '../../src/archive/deleteConversation';
import { getConversation } from '../../src/archive/getConversation';
import { listConversations } from '../../src/archive/listConversations';
import { listMessages } from '../../src/archive/listMessages';
import { InvalidCursorError } from '../../src/archive/pageCursor';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { buildConversation } from './conversationBuilder';
import { rawItems, rawObjectKeys } from './rawArchiveState';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-read');
});

const day = (n: number) => `2024-01-${String(n).padStart(2, '0')}T12:00:00.000Z`;

describe('reading the archive', () => {
  it('lists conversations newest first, a page at a time', async () => {
    const userId = 'user-pages';
    const conversations = Array.from({ length: 12 }, (_, index) =>
      buildConversation({ id: `c${index + 1}`, create_time: day(index + 1) }),
    );
    conversations.push(buildConversation({ id: 'undated', create_time: null }));
    await writeConversations(ctx, userId, 'imp-1', conversations);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listConversations(ctx, userId, { cursor, limit: 5 });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((summary) => summary.conversation_id));
      cursor = page.cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...Array.from({ length: 12 }, (_, index) => `c${12 - index}`), 'undated']);

    const first = await listConversations(ctx, userId, { limit: 1 });
    expect(first.items[0]).toMatchObject({ conversation_id: 'c12', title: 'Conversation c12', message_count: 2, import_id: 'imp-1' });
    expect(first.items[0]).not.toHaveProperty('transcript');
  });

  it('lists messages in thread order, a page at a time', async () => {
    const userId = 'user-messages';
    const texts = Array.from({ length: 57 }, (_, index) => `message ${index}`);
    const conversation = buildConversation({ id: 'long', messages: texts });
    await writeConversations(ctx, userId, 'imp-1', [conversation]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMessages(ctx, userId, 'long', { cursor, limit: 10 });
      seen.push(...page.items.map((message) => message.text));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(texts);
  });

  it("never shows one user another user's conversations", async () => {
    await writeConversations(ctx, 'alice', 'imp-a', [buildConversation({ id: 'shared-id', messages: ['alice secret'] })]);
    await writeConversations(ctx, 'bob', 'imp-b', [buildConversation({ id: 'bobs', messages: ['bob text'] })]);

    expect(await getConversation(ctx, 'bob', 'shared-id')).toBeNull();
    expect((await listMessages(ctx, 'bob', 'shared-id')).items).toEqual([]);
    expect((await listConversations(ctx, 'bob')).items.map((summary) => summary.conversation_id)).toEqual(['bobs']);

    // A cursor from Alice's listing cannot page through Bob's (or the reverse).
    const alicePage = await listMessages(ctx, 'alice', 'shared-id', { limit: 1 });
    await expect(listMessages(ctx, 'bob', 'shared-id', { cursor: alicePage.cursor! })).rejects.toThrow(InvalidCursorError);
    const aliceList = await listConversations(ctx, 'alice', { limit: 1 });
    if (aliceList.cursor) await expect(listConversations(ctx, 'bob', { cursor: aliceList.cursor })).rejects.toThrow(InvalidCursorError);

    // Ids that could escape the user's key space are refused outright.
    await expect(getConversation(ctx, 'bob#CONV#x', 'shared-id')).rejects.toThrow(InvalidKeyError);
    await expect(listConversations(ctx, 'ali*')).rejects.toThrow(InvalidKeyError);

    // Bob's delete of the same id leaves Alice's conversation alone.
    expect((await deleteConversation(ctx, 'bob', 'shared-id')).existed).toBe(false);
    expect((await getConversation(ctx, 'alice', 'shared-id'))?.conversation_id).toBe('shared-id');
  });

  it('stores a long transcript and plain text compressed together in its META, and still reads METAs stored the earlier ways', async () => {
    const userId = 'user-meta-texts';
    const transcript = Array.from({ length: 2000 }, (_, n) => `**User:**\n\nTurn ${n}: the Iceland trip, ünïcode ✓`).join('\n\n');
    const rawText = transcript.replaceAll('**User:**\n\n', 'User: ');
    await writeConversations(ctx, userId, 'imp-1', [buildConversation({ id: 'c1', transcript, raw_text: rawText })]);
    const meta = (await rawItems(ctx, userId, 'c1')).find((item) => item.sk === 'META')!;
    expect(meta.transcript).toBeUndefined();
    expect(meta.raw_text).toBeUndefined();
    // Both texts in one attribute smaller than a quarter of the transcript alone.
    expect(meta.texts_br.byteLength).toBeLessThan(Buffer.byteLength(transcript) / 4);
    expect(await getConversation(ctx, userId, 'c1')).toMatchObject({ transcript, raw_text: rawText });

    const { texts_br: _compressed, ...bare } = meta;
    const earlier = {
      'plain strings': { ...bare, transcript, raw_text: rawText },
      'each text gzipped': { ...bare, transcript_gz: gzipSync(transcript), raw_text_gz: gzipSync(rawText) },
      'one gzipped, one plain': { ...bare, transcript_gz: gzipSync(transcript), raw_text: rawText },
    };
    for (const [way, item] of Object.entries(earlier)) {
      await ctx.clients.dynamo.send(new PutCommand({ TableName: ctx.resources.tables.Conversations, Item: item }));
      expect(await getConversation(ctx, userId, 'c1'), way).toMatchObject({ transcript, raw_text: rawText });
    }
  });

  it('deletes a conversation: items and offloaded objects', async () => {
    const userId = 'user-delete';
    const conversation = buildConversation({ id: 'c1', messages: ['a', 'x'.repeat(400_000)], transcript: incompressible(600_000), raw_text: 'small' });
    await writeConversations(ctx, userId, 'imp-1', [conversation, buildConversation({ id: 'c2' })]);
    const keys = await rawObjectKeys(ctx, userId, 'c1');
    expect(keys).toHaveLength(2);

    expect(await deleteConversation(ctx, userId, 'c1')).toEqual({ existed: true, messages_deleted: 2, objects_deleted: 2, assets_deleted: 0 });
    expect(await rawItems(ctx, userId, 'c1')).toEqual([]);
    expect(await rawObjectKeys(ctx, userId, 'c1')).toEqual([]);
    await expect(ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.resources.bucket, Key: keys[0] }))).rejects.toThrow();
    expect((await listConversations(ctx, userId)).items.map((summary) => summary.conversation_id)).toEqual(['c2']);
  });
});

/** Text gzip cannot shrink below ~75 %: at 600 KB a META keeps it in S3, not inline (metaTexts.ts). */
function incompressible(bytes: number): string {
  return Array.from({ length: Math.ceil(bytes / 44) }, (_, n) => createHash('sha256').update(String(n)).digest('base64')).join('');
}
