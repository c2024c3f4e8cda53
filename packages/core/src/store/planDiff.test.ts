import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../test/store/conversationBuilder';
import { conversationItems } from './conversationItems';
import { conversationVerdict, planDiff, storedIsNewer } from './planDiff';

const owner = { userId: 'user-1', importId: 'imp-1', storedAt: '2024-06-01T00:00:00.000Z' };

function storedStateOf(conversation: ReturnType<typeof buildConversation>) {
  const { meta, messages } = conversationItems(owner, conversation);
  return {
    meta: { content_hash: meta.content_hash, update_time: meta.update_time },
    messages: messages.map(({ sk, hash }) => ({ sk, hash })),
  };
}

describe('planDiff', () => {
  it('creates every message and the META when nothing is stored', () => {
    const incoming = buildConversation({ id: 'c1', messages: ['a', 'b', 'c'] });
    const diff = planDiff({ meta: null, messages: [] }, incoming, owner);
    expect(diff.verdict).toBe('created');
    expect(diff.put.map((item) => item.sk)).toEqual(['MSG#000000', 'MSG#000001', 'MSG#000002']);
    expect(diff.delete).toEqual([]);
    expect(diff.meta?.pk).toBe('USER#user-1#CONV#c1');
  });

  it('writes nothing for the same content_hash', () => {
    const conversation = buildConversation({ id: 'c1' });
    expect(planDiff(storedStateOf(conversation), conversation, owner)).toEqual({
      verdict: 'unchanged',
      put: [],
      delete: [],
      meta: null,
    });
  });

  it('skips an older version and never rolls back', () => {
    const newer = buildConversation({ id: 'c1', update_time: '2024-03-01T00:00:00.000Z', messages: ['a', 'b2'] });
    const older = buildConversation({ id: 'c1', update_time: '2024-02-01T00:00:00.000Z', messages: ['a', 'b'] });
    const diff = planDiff(storedStateOf(newer), older, owner);
    expect(diff.verdict).toBe('skipped_stale');
    expect(diff.meta).toBeNull();
  });

  it('puts only changed messages and deletes those off the thread (branch switch)', () => {
    const before = buildConversation({ id: 'c1', update_time: '2024-02-01T00:00:00.000Z', messages: ['q', 'a1', 'q2', 'a2'] });
    const after = buildConversation({ id: 'c1', update_time: '2024-03-01T00:00:00.000Z', messages: ['q', 'a1-regenerated'] });
    const diff = planDiff(storedStateOf(before), after, owner);
    expect(diff.verdict).toBe('updated');
    expect(diff.put.map((item) => [item.sk, item.text])).toEqual([['MSG#000001', 'a1-regenerated']]);
    expect(diff.delete).toEqual([
      { pk: 'USER#user-1#CONV#c1', sk: 'MSG#000002' },
      { pk: 'USER#user-1#CONV#c1', sk: 'MSG#000003' },
    ]);
  });

  it('reuses messages a crashed first attempt left behind', () => {
    const incoming = buildConversation({ id: 'c1', messages: ['a', 'b', 'c'] });
    const partial = storedStateOf(incoming).messages.slice(0, 2);
    const diff = planDiff({ meta: null, messages: [...partial, { sk: 'MSG#000007', hash: 'x' }] }, incoming, owner);
    expect(diff.verdict).toBe('created');
    expect(diff.put.map((item) => item.sk)).toEqual(['MSG#000002']);
    expect(diff.delete.map((key) => key.sk)).toEqual(['MSG#000007']);
  });

  it('repairs messages of a META flagged dirty even when the hash matches', () => {
    const conversation = buildConversation({ id: 'c1', messages: ['a', 'b'] });
    const stored = storedStateOf(conversation);
    stored.messages[1].hash = 'clobbered';
    const diff = planDiff({ meta: { ...stored.meta, messages_dirty: true }, messages: stored.messages }, conversation, owner);
    expect(diff.verdict).toBe('updated');
    expect(diff.put.map((item) => item.sk)).toEqual(['MSG#000001']);
  });

  it('refuses two messages at one position', () => {
    const conversation = buildConversation({ id: 'c1', messages: ['a', { text: 'b', position: 0 }] });
    expect(() => planDiff({ meta: null, messages: [] }, conversation, owner)).toThrow(/position 0/);
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
