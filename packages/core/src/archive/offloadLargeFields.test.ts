import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../test/archive/conversationBuilder';
import { conversationItems } from './conversationItems';
import { attributeValueBytes, dynamoItemBytes, SAFE_ITEM_BYTES } from '../aws/itemSize';
import { ItemTooLargeError, offloadMetaItem, offloadPageItem, referencedKeys } from './offloadLargeFields';
import { inlineMetaTexts } from './metaTexts';

/** `characters` characters (one UTF-8 byte each) that gzip cannot shrink below ~75 %. */
function incompressible(characters: number, seed: string): string {
  let text = '';
  for (let n = 0; text.length < characters; n += 1) text += createHash('sha256').update(`${seed}:${n}`).digest('base64');
  return text.slice(0, characters);
}

const owner = { userId: 'user-1', importId: 'imp-1', storedAt: '2024-06-01T00:00:00.000Z' };

describe('dynamoItemBytes', () => {
  it('counts attribute names and UTF-8 bytes of values', () => {
    expect(dynamoItemBytes({ ab: 'é' })).toBe(2 + 2);
    expect(dynamoItemBytes({ n: null, b: true })).toBe(1 + 1 + 1 + 1);
    expect(attributeValueBytes(['a', 'b'])).toBe(3 + 2 + 2);
    expect(attributeValueBytes({ k: 'v' })).toBe(3 + 1 + 1 + 1);
    expect(attributeValueBytes(12345)).toBe(4);
  });
});

describe('offload decision', () => {
  it('keeps a small conversation inline', () => {
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1' }));
    const result = offloadMetaItem(meta);
    expect(result.objects).toEqual([]);
    expect(result.item).toEqual(meta);
  });

  it('keeps a long transcript inline, compressed with the plain text, and reads both back equal', () => {
    const transcript = Array.from({ length: 5000 }, (_, n) => `**User:**\n\nQuestion ${n} about the Iceland trip, ünïcode ✓`).join('\n\n');
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1', transcript, raw_text: 'short' }));
    const { item, objects } = offloadMetaItem(meta);
    expect(objects).toEqual([]);
    expect(item.transcript).toBeUndefined();
    expect(item.raw_text).toBeUndefined();
    expect(item.texts_br!.byteLength).toBeLessThan(Buffer.byteLength(transcript) / 4);
    expect(inlineMetaTexts(item)).toEqual({ transcript, raw_text: 'short' });
  });

  it('keeps short texts as plain strings', () => {
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1', transcript: 'a short transcript', raw_text: 'short' }));
    const { item } = offloadMetaItem(meta);
    expect(item).toMatchObject({ transcript: 'a short transcript', raw_text: 'short' });
    expect(item.texts_br).toBeUndefined();
  });

  it('moves a 1 MB transcript that does not compress to S3 behind a content-addressed reference', () => {
    const transcript = incompressible(1_000_000, 't'); // 1,000,000 UTF-8 bytes, ~750 KB gzipped
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1', transcript, raw_text: 'short' }));
    const { item, objects } = offloadMetaItem(meta);
    const sha256 = createHash('sha256').update(transcript).digest('hex');
    expect(objects).toHaveLength(1);
    expect(item.transcript).toBeUndefined();
    expect(item.raw_text).toBe('short');
    expect(item.transcript_ref).toEqual({ key: `archive/user-1/c1/${sha256}`, sha256, bytes: 1_000_000 });
    expect(objects[0].body.toString('utf8')).toBe(transcript);
    expect(dynamoItemBytes(item)).toBeLessThan(SAFE_ITEM_BYTES);
    expect(referencedKeys(item)).toEqual([`archive/user-1/c1/${sha256}`]);
  });

  it('moves both texts when the larger alone is not enough', () => {
    const { meta } = conversationItems(
      owner,
      buildConversation({ id: 'c1', transcript: incompressible(400_000, 'a'), raw_text: incompressible(360_000, 'b') }),
    );
    const { item, objects } = offloadMetaItem(meta);
    expect(objects.map((object) => object.bytes)).toEqual([400_000, 360_000]);
    expect(item.transcript_ref && item.raw_text_ref).toBeTruthy();
  });

  it('judges by marshalled UTF-8 size, not string length', () => {
    // 200k characters, 600 KB in UTF-8.
    const text = '€'.repeat(200_000);
    const { pages } = conversationItems(owner, buildConversation({ id: 'c1', messages: [text] }));
    const { item, objects } = offloadPageItem('user-1', 'c1', pages[0]);
    expect(item.messages[0].text).toBeUndefined();
    expect(item.messages[0].text_ref?.bytes).toBe(600_000);
    expect(objects).toHaveLength(1);
    expect(referencedKeys(item)).toEqual([objects[0].key]);
  });

  it('offloads only the largest texts of a page that would exceed the limit, and keeps the rest inline', () => {
    // 16 messages of ~30 KB: ~480 KB together, so the largest few go to S3 until the page fits.
    const texts = Array.from({ length: 16 }, (_, index) => `${index}`.padEnd(30_000 + index * 100, 'x'));
    const { pages } = conversationItems(owner, buildConversation({ id: 'c1', messages: texts }));
    const { item, objects } = offloadPageItem('user-1', 'c1', pages[0]);
    expect(dynamoItemBytes(item)).toBeLessThanOrEqual(SAFE_ITEM_BYTES);
    const offloaded = item.messages.flatMap((message, index) => (message.text_ref ? [index] : []));
    expect(offloaded.length).toBe(objects.length);
    expect(offloaded.length).toBeGreaterThan(0);
    expect(offloaded.length).toBeLessThan(8);
    // The largest ones: the last positions, in this page.
    expect(Math.min(...offloaded)).toBeGreaterThan(15 - offloaded.length);
    expect(item.page_hash).toBe(pages[0].page_hash);
    expect(item.offloaded_keys?.sort()).toEqual(objects.map((object) => object.key).sort());
    // A page that fits is left alone.
    const small = conversationItems(owner, buildConversation({ id: 'c1', messages: texts.slice(0, 3) })).pages[0];
    expect(offloadPageItem('user-1', 'c1', small)).toEqual({ item: small, objects: [] });
  });

  it('fails an item that stays too large without its texts', () => {
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1' }));
    expect(() => offloadMetaItem({ ...meta, warnings: ['w'.repeat(400_000)] })).toThrow(ItemTooLargeError);
  });
});
