import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../test/archive/conversationBuilder';
import { messageHash } from '../conversation/contentHash';
import { MESSAGES_PER_PAGE } from './archiveLayout';
import { conversationItems } from './conversationItems';
import { messageSk } from './conversationKeys';
import { conversationVerdict, planDiff, storedIsNewer, type StoredConversationState } from './planDiff';

const owner = { userId: 'user-1', importId: 'imp-1', storedAt: '2024-06-01T00:00:00.000Z' };
const P = MESSAGES_PER_PAGE;

function storedStateOf(conversation: ReturnType<typeof buildConversation>): StoredConversationState {
  const { meta, pages } = conversationItems(owner, conversation);
  return {
    meta: { content_hash: meta.content_hash, update_time: meta.update_time, message_count: meta.message_count, layout: meta.layout },
    pages: pages.map(({ sk, page_hash, hashes }) => ({ sk, page_hash, hashes })),
  };
}

const texts = (count: number, tag = 'm') => Array.from({ length: count }, (_, index) => `${tag}${index}`);
const at = (time: string, id: string, messages: string[]) => buildConversation({ id, update_time: time, messages });
const FEB = '2024-02-01T00:00:00.000Z';
const MAR = '2024-03-01T00:00:00.000Z';

describe('planDiff', () => {
  it('creates every page and the META when nothing is stored', () => {
    const incoming = buildConversation({ id: 'c1', messages: texts(P + 3) });
    const diff = planDiff({ meta: null, pages: [] }, incoming, owner);
    expect(diff.verdict).toBe('created');
    expect(diff.put.map((page) => [page.sk, page.messages.length])).toEqual([
      ['PAGE#000000', P],
      ['PAGE#000001', 3],
    ]);
    expect(diff.put[1].hashes).toEqual(incoming.messages.slice(P).map(messageHash));
    expect(diff).toMatchObject({ delete: [], messagesPut: P + 3, messagesDeleted: 0 });
    expect(diff.meta).toMatchObject({ pk: 'USER#user-1#CONV#c1', layout: 2 });
  });

  it('writes nothing for the same content_hash', () => {
    const conversation = buildConversation({ id: 'c1' });
    expect(planDiff(storedStateOf(conversation), conversation, owner)).toEqual({
      verdict: 'unchanged',
      pages: [],
      put: [],
      delete: [],
      deleteAfterCommit: [],
      storedObjectKeys: new Set(),
      messagesPut: 0,
      messagesDeleted: 0,
      meta: null,
    });
  });

  it('skips an older version and never rolls back', () => {
    const newer = at(MAR, 'c1', ['a', 'b2']);
    const older = at(FEB, 'c1', ['a', 'b']);
    const diff = planDiff(storedStateOf(newer), older, owner);
    expect(diff.verdict).toBe('skipped_stale');
    expect(diff.meta).toBeNull();
  });

  it('a growing thread rewrites only its last page and adds new ones', () => {
    const before = at(FEB, 'c1', texts(P + 5));
    const after = at(MAR, 'c1', texts(2 * P + 2));
    const diff = planDiff(storedStateOf(before), after, owner);
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000001', 'PAGE#000002']);
    expect(diff).toMatchObject({ delete: [], messagesPut: 2 * P + 2 - (P + 5), messagesDeleted: 0 });
  });

  it('an edit in the middle rewrites the pages from its own on; earlier pages cost nothing', () => {
    const before = at(FEB, 'c1', texts(3 * P));
    const edited = texts(3 * P);
    edited[P + 4] = 'edited';
    const diff = planDiff(storedStateOf(before), at(MAR, 'c1', edited), owner);
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000001']);
    expect(diff).toMatchObject({ messagesPut: 1, messagesDeleted: 0, delete: [] });
  });

  it('a shrinking thread (branch switch) deletes the pages past its end and counts each message', () => {
    const before = at(FEB, 'c1', texts(2 * P + 4));
    const after = at(MAR, 'c1', [...texts(P - 2), 'branch']);
    const diff = planDiff(storedStateOf(before), after, owner);
    expect(diff.verdict).toBe('updated');
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000000']);
    expect(diff.delete).toEqual([
      { pk: 'USER#user-1#CONV#c1', sk: 'PAGE#000001' },
      { pk: 'USER#user-1#CONV#c1', sk: 'PAGE#000002' },
    ]);
    // Position P-2 changed, P-1 … 2P+3 are gone.
    expect(diff).toMatchObject({ messagesPut: 1, messagesDeleted: 2 * P + 4 - (P - 1) });
  });

  it('reuses nothing a crashed first attempt left, and deletes its pages past the end', () => {
    const incoming = buildConversation({ id: 'c1', messages: texts(P + 1) });
    const leftovers = storedStateOf(buildConversation({ id: 'c1', messages: texts(3 * P) })).pages;
    const diff = planDiff({ meta: null, pages: leftovers }, incoming, owner);
    expect(diff.verdict).toBe('created');
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000000', 'PAGE#000001']);
    expect(diff.delete.map((key) => key.sk)).toEqual(['PAGE#000002']);
    expect(diff).toMatchObject({ messagesPut: P + 1, messagesDeleted: 0 });
  });

  it('repairs pages of a META flagged dirty even when the hash matches', () => {
    const conversation = buildConversation({ id: 'c1', messages: texts(P + 2) });
    const stored = storedStateOf(conversation);
    stored.pages[1] = { ...stored.pages[1], page_hash: 'clobbered', hashes: ['x', 'y'] };
    const diff = planDiff({ ...stored, meta: { ...stored.meta!, messages_dirty: true } }, conversation, owner);
    expect(diff.verdict).toBe('updated');
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000001']);
    expect(diff.messagesPut).toBe(2);
  });

  it('replaces a layout-1 thread: every page put, MSG items deleted after the commit, only real changes counted', () => {
    const before = at(FEB, 'c1', texts(5));
    const after = at(MAR, 'c1', [...texts(3), 'changed']);
    const legacyMessages = before.messages.map((message) => ({ sk: messageSk(message.position), hash: messageHash(message) }));
    const diff = planDiff(
      { meta: { content_hash: before.content_hash, update_time: FEB, message_count: 5 }, pages: [], legacyMessages },
      after,
      owner,
    );
    expect(diff.put.map((page) => page.sk)).toEqual(['PAGE#000000']);
    expect(diff.deleteAfterCommit.map((key) => key.sk)).toEqual(legacyMessages.map((message) => message.sk));
    expect(diff).toMatchObject({ delete: [], messagesPut: 1, messagesDeleted: 1 });
  });

  it('refuses two messages at one position', () => {
    const conversation = buildConversation({ id: 'c1', messages: ['a', { text: 'b', position: 0 }] });
    expect(() => planDiff({ meta: null, pages: [] }, conversation, owner)).toThrow(/position 0/);
  });
});

describe('conversationVerdict and storedIsNewer', () => {
  it('treats an undated incoming version as older than a dated one', () => {
    expect(storedIsNewer('2024-01-01T00:00:00.000Z', null)).toBe(true);
    expect(storedIsNewer(null, '2024-01-01T00:00:00.000Z')).toBe(false);
    expect(storedIsNewer(null, null)).toBe(false);
    expect(storedIsNewer('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')).toBe(false);
  });

  it('updates an equal update_time with different content', () => {
    const conversation = buildConversation({ id: 'c1' });
    expect(conversationVerdict({ content_hash: 'other', update_time: conversation.update_time }, conversation)).toBe('updated');
  });
});
