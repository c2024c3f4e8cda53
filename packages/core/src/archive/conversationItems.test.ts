import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../test/archive/conversationBuilder';
import { messageHash } from '../conversation/contentHash';
import { conversationItems, messageFromItem, storedConversationFromItem } from './conversationItems';
import { conversationIdFromPk, conversationPk, InvalidKeyError, messageSk, pageSk, parseConversationPk } from './conversationKeys';

const owner = { userId: 'user-1', importId: 'imp-1', storedAt: '2024-06-01T00:00:00.000Z' };

describe('conversationItems', () => {
  it('maps a conversation to a META item with index keys and layout, and pages with message hashes', () => {
    const conversation = buildConversation({ id: 'c1', create_time: '2024-01-02T03:04:05.000Z', messages: ['a', 'b'] });
    const { meta, pages } = conversationItems(owner, conversation);
    expect(meta).toMatchObject({
      pk: 'USER#user-1#CONV#c1',
      sk: 'META',
      gsi1pk: 'USER#user-1',
      gsi1sk: '2024-01-02T03:04:05.000Z#c1',
      content_hash: conversation.content_hash,
      transcript: conversation.transcript,
      import_id: 'imp-1',
      layout: 2,
    });
    expect(pages.map((page) => [page.pk, page.sk, page.hashes])).toEqual([
      ['USER#user-1#CONV#c1', 'PAGE#000000', conversation.messages.map(messageHash)],
    ]);
  });

  it('maps items back to the conversation and messages', () => {
    const conversation = buildConversation({ id: 'c1' });
    const { meta, pages } = conversationItems(owner, conversation);
    const { messages: _messages, ...fields } = conversation;
    expect(storedConversationFromItem(meta, { transcript: meta.transcript!, raw_text: meta.raw_text! })).toEqual({
      ...fields,
      import_id: 'imp-1',
      stored_at: owner.storedAt,
    });
    expect(pages.flatMap((page) => page.messages).map((item) => messageFromItem(item, item.text!))).toEqual(conversation.messages);
  });

  it('sorts conversations without a create_time as the oldest', () => {
    const { meta } = conversationItems(owner, buildConversation({ id: 'c1', create_time: null }));
    expect(meta.gsi1sk).toBe('#c1');
    expect(meta.gsi1sk < '1970-01-01T00:00:00.000Z#a').toBe(true);
  });
});

describe('conversation keys', () => {
  it('refuses unsafe user ids and odd conversation ids', () => {
    expect(() => conversationPk('a#b', 'c1')).toThrow(InvalidKeyError);
    expect(() => conversationPk('../x', 'c1')).toThrow(InvalidKeyError);
    expect(() => conversationPk('user-1', '')).toThrow(InvalidKeyError);
    expect(() => conversationPk('user-1', 'a\nb')).toThrow(InvalidKeyError);
    expect(() => messageSk(1_000_000)).toThrow(InvalidKeyError);
    expect(() => pageSk(1_000_000)).toThrow(InvalidKeyError);
  });

  it('round-trips a conversation id through its partition key', () => {
    expect(conversationIdFromPk('user-1', conversationPk('user-1', 'weird#CONV#id'))).toBe('weird#CONV#id');
    expect(() => conversationIdFromPk('user-2', conversationPk('user-1', 'c1'))).toThrow(InvalidKeyError);
  });

  it('reads any user\'s conversation partition back, and nothing else', () => {
    expect(parseConversationPk(conversationPk('user-1', 'weird#CONV#id'))).toEqual({ userId: 'user-1', conversationId: 'weird#CONV#id' });
    expect(parseConversationPk('USER#user-1#FILE#file-abc')).toBeNull();
    expect(parseConversationPk('USER#user-1#SHARD#03')).toBeNull();
    expect(parseConversationPk('USER##CONV#c1')).toBeNull();
    expect(parseConversationPk('USER#user-1#CONV#')).toBeNull();
    expect(parseConversationPk('ARCHIVE')).toBeNull();
  });
});
