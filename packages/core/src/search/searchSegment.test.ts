import { describe, expect, it } from 'vitest';
import { conversationPostings } from './conversationPostings';
import { termShard } from './searchIndexKeys';
import { segmentItems, termEntries } from './searchSegment';

const message = (position: number, text: string) => ({ id: `m${position}`, position, text }) as never;

describe('segment items', () => {
  it('round-trip: every term of every conversation is found in its shard, with its messages and counts', () => {
    const conversations = [
      { conversation_id: 'a#1', title: 'A', create_time: '2024-01-01T00:00:00.000Z', model: 'gpt-4o', postings: conversationPostings({ messages: [message(0, 'the trip plan'), message(1, 'the the 東京')] }) },
      { conversation_id: 'b', title: 'B', create_time: null, model: null, postings: conversationPostings({ messages: [message(3, 'plan B')] }) },
    ];
    for (const [items, where] of [
      [segmentItems('user-1', 'seg-1', conversations), 'small'],
      [segmentItems('user-1', 'seg-1', conversations, { text: 1_000_000, gzipped: 300_000, small: 0 }), 'shards'],
    ] as const) {
    if (where === 'small') expect(items.map((item) => item.pk)).toEqual(['USER#user-1#SHARD#SMALL']);
    else expect(new Set(items.map((item) => item.pk)).size).toBe(items.length); // one part per shard here
    const lookup = (term: string) => {
      const item = where === 'small' ? items[0]! : items.find((candidate) => candidate.pk.endsWith(`#SHARD#${String(termShard(term)).padStart(2, '0')}`))!;
      return termEntries(item, [term]).get(term)!.map((entry) => [entry.conversation_id, entry.title, entry.create_time, entry.model, [...entry.messages]]);
    };
    expect(lookup('the')).toEqual([['a#1', 'A', '2024-01-01T00:00:00.000Z', 'gpt-4o', [[0, 1], [1, 2]]]]);
    expect(lookup('plan')).toEqual([
      ['a#1', 'A', '2024-01-01T00:00:00.000Z', 'gpt-4o', [[0, 1]]],
      ['b', 'B', null, null, [[3, 1]]],
    ]);
    expect(lookup('東京')).toEqual([['a#1', 'A', '2024-01-01T00:00:00.000Z', 'gpt-4o', [[1, 1]]]]);
    }
  });

  it('a term is found only as a whole line, never as the prefix of another', () => {
    const items = segmentItems('u', 's', [{ conversation_id: 'c', title: 'C', create_time: null, model: null, postings: conversationPostings({ messages: [message(0, 'planning')] }) }]);
    for (const item of items) expect(termEntries(item, ['plan']).size).toBe(0);
  });

  it('splits a shard into parts before an item could outgrow DynamoDB’s limit, each part finding its own terms', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const conversations = ['c1', 'c2'].map((id, n) => ({ conversation_id: id, title: id, create_time: null, model: `m${n}`, postings: conversationPostings({ messages: [message(n, text)] }) }));
    for (const limits of [{ text: 500, gzipped: 1_000_000, small: 0 }, { text: 1_000_000, gzipped: 150, small: 0 }]) {
      const items = segmentItems('u', 's', conversations, limits);
      expect(items.length).toBeGreaterThan(64);
      const found = new Map<string, string[]>();
      for (const item of items) for (const [term, entries] of termEntries(item, ['w0', 'w2bb', 'wabc'.slice(0, 3)])) found.set(term, entries.map((e) => `${e.conversation_id}/${e.model}/${[...e.messages.keys()]}`));
      expect(found.get('w0')).toEqual(['c1/m0/0', 'c2/m1/1']);
      expect(found.get('w2bb')).toEqual(['c1/m0/0', 'c2/m1/1']);
    }
  });
});
