import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectKeys } from '../../src/archive/objectKeys';
import { getConversation } from '../../src/archive/getConversation';
import { listMessages } from '../../src/archive/listMessages';
import { pageMessages } from '../../src/archive/storedPage';
import type { StoreContext } from '../../src/archive/storeContext';
import { writeConversations } from '../../src/archive/writeConversations';
import { buildConversation } from './conversationBuilder';
import { rawItems, rawObjectKeys } from './rawArchiveState';
import { createStoreTestContext } from './storeTestContext';

let ctx: StoreContext;
beforeAll(async () => {
  ctx = await createStoreTestContext('store-offload');
});

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** Multi-byte text of about `bytes` UTF-8 bytes, varied so nothing could dedupe it by accident. */
/** Text that gzip cannot shrink much (a META keeps a compressible one inline, gzipped: metaTexts.ts). */
const bigText = (bytes: number, seed: string) =>
  Array.from({ length: Math.ceil(bytes / 100) }, (_, line) => {
    const noise = (n: number) => createHash('sha256').update(`${seed}:${line}:${n}`).digest('base64');
    return `${noise(0)}${noise(1)} 日本語 ✓\n`;
  }).join('');

describe('offloading large fields to S3', () => {
  it('keeps a 1 MB transcript and a 500 KB message in S3 and reads them back byte-equal', async () => {
    const userId = 'user-big';
    const transcript = bigText(1_000_000, 'transcript');
    const hugeMessage = bigText(500_000, 'message');
    const conversation = buildConversation({
      id: 'c1',
      messages: ['short question', hugeMessage, 'thanks'],
      transcript,
      raw_text: 'User: short question …',
    });
    const result = await writeConversations(ctx, userId, 'imp-1', [conversation]);
    expect(result.failures).toEqual([]);
    expect(result.counts).toMatchObject({ conversations_created: 1, objects_offloaded: 2, messages_put: 3 });

    const [meta, page] = await rawItems(ctx, userId, 'c1');
    expect(page.sk).toBe('PAGE#000000');
    const messageItem = pageMessages(page)[1];
    expect(meta.transcript).toBeUndefined();
    expect(meta.transcript_ref).toEqual({
      key: objectKeys.offload(userId, 'c1', sha256(transcript)),
      sha256: sha256(transcript),
      bytes: Buffer.byteLength(transcript),
    });
    expect(meta.raw_text).toBe('User: short question …');
    expect(messageItem.text).toBeUndefined();
    expect(messageItem.text_ref!.key).toBe(objectKeys.offload(userId, 'c1', sha256(hugeMessage)));
    expect(page.offloaded_keys).toEqual([messageItem.text_ref!.key]);
    expect(pageMessages(page)[0].text).toBe('short question');

    const stored = await getConversation(ctx, userId, 'c1');
    expect(stored?.transcript === transcript).toBe(true);
    expect(stored?.raw_text === conversation.raw_text).toBe(true);
    const messages = await listMessages(ctx, userId, 'c1');
    expect(messages.items.map((message) => message.text)).toEqual(['short question', hugeMessage, 'thanks']);
    expect(messages.items).toEqual(conversation.messages);
  });

  it('deletes objects made obsolete by a change, after the commit, and keeps shared ones', async () => {
    const userId = 'user-obsolete';
    const keptMessage = bigText(450_000, 'kept');
    const v1 = buildConversation({
      id: 'c1',
      update_time: '2024-01-01T00:00:00.000Z',
      messages: [keptMessage, bigText(450_000, 'replaced')],
      transcript: bigText(800_000, 'transcript v1'),
      raw_text: 'small',
    });
    await writeConversations(ctx, userId, 'imp-1', [v1]);
    expect(await rawObjectKeys(ctx, userId, 'c1')).toHaveLength(3);

    const v2 = buildConversation({
      id: 'c1',
      update_time: '2024-02-01T00:00:00.000Z',
      messages: [keptMessage, 'now short'],
      transcript: bigText(800_000, 'transcript v2'),
      raw_text: 'small',
    });
    const result = await writeConversations(ctx, userId, 'imp-2', [v2]);
    expect(result.counts).toMatchObject({ conversations_updated: 1, objects_offloaded: 1, objects_deleted: 2, messages_put: 1 });
    expect(await rawObjectKeys(ctx, userId, 'c1')).toEqual(
      [objectKeys.offload(userId, 'c1', sha256(keptMessage)), objectKeys.offload(userId, 'c1', sha256(v2.transcript))].sort(),
    );
    expect((await getConversation(ctx, userId, 'c1'))?.transcript === v2.transcript).toBe(true);
    expect((await listMessages(ctx, userId, 'c1')).items.map((message) => message.text)).toEqual([keptMessage, 'now short']);

    // Back to small: every object goes.
    const v3 = buildConversation({ id: 'c1', update_time: '2024-03-01T00:00:00.000Z', messages: ['tiny'] });
    expect((await writeConversations(ctx, userId, 'imp-3', [v3])).counts).toMatchObject({ objects_deleted: 2 });
    expect(await rawObjectKeys(ctx, userId, 'c1')).toEqual([]);
  });

  it('an S3 failure fails only that conversation, and the retry completes it', async () => {
    const userId = 'user-s3-failure';
    const big = buildConversation({ id: 'big', transcript: bigText(600_000, 'big') });
    const small = buildConversation({ id: 'small' });
    const broken: StoreContext = { ...ctx, resources: { ...ctx.resources, bucket: `${ctx.resources.bucket}-missing` } };
    const failed = await writeConversations(broken, userId, 'imp-1', [big, small]);
    expect(failed.counts).toMatchObject({ conversations_failed: 1, conversations_created: 1 });
    expect(failed.failures[0].conversation_id).toBe('big');
    expect(await getConversation(ctx, userId, 'big')).toBeNull();

    const retried = await writeConversations(ctx, userId, 'imp-1', [big, small]);
    expect(retried.counts).toMatchObject({ conversations_created: 1, conversations_unchanged: 1 });
    expect((await getConversation(ctx, userId, 'big'))?.transcript === big.transcript).toBe(true);
  });
});
