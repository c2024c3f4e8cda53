import { describe, expect, it } from 'vitest';
import { conversationPostings } from './conversationPostings';
import { termShard } from './searchIndexKeys';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeSegmentItem, SEGMENT_FORMAT, segmentItems, termEntries, type SegmentItem } from './searchSegment';

const message = (position: number, text: string) => ({ id: `m${position}`, position, text }) as never;

describe('segment items', () => {
  it('round-trip: every term of every conversation is found in its shard, with its messages, counts and ordinals', () => {
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
    const ordinals = (term: string) => {
      const item = where === 'small' ? items[0]! : items.find((candidate) => candidate.pk.endsWith(`#SHARD#${String(termShard(term)).padStart(2, '0')}`))!;
      expect(item.v).toBe(SEGMENT_FORMAT);
      return termEntries(item, [term]).get(term)!.map((entry) => [entry.conversation_id, [...entry.ordinals!]]);
    };
    expect(ordinals('the')).toEqual([['a#1', [[0, [0]], [1, [0, 1]]]]]);
    expect(ordinals('plan')).toEqual([['a#1', [[0, [2]]]], ['b', [[3, [0]]]]]);
    expect(ordinals('東京')).toEqual([['a#1', [[1, [2]]]]]);
    }
  });

  it('stores ordinals as gaps and reads them back exactly, far apart and many', () => {
    const text = Array.from({ length: 1200 }, (_, i) => (i % 7 === 0 || i === 1199 ? 'needle' : `w${i}`)).join(' ');
    const [item] = segmentItems('u', 's', [{ conversation_id: 'c', title: 'C', create_time: null, model: null, postings: conversationPostings({ messages: [message(12, text), message(40, 'x needle')] }) }], { text: 1_000_000, gzipped: 300_000, small: 1_000_000 });
    const [entry] = termEntries(item!, ['needle']).get('needle')!;
    const expected = Array.from({ length: 1200 }, (_, i) => i).filter((i) => i % 7 === 0 || i === 1199);
    expect(entry!.ordinals!.get(12)).toEqual(expected);
    expect(entry!.messages.get(12)).toBe(expected.length);
    expect(entry!.ordinals!.get(40)).toEqual([1]);
    const [countsOnly] = termEntries(item!, ['needle'], { ordinals: false }).get('needle')!;
    expect([...countsOnly!.messages]).toEqual([[12, expected.length], [40, 1]]);
    expect(countsOnly!.ordinals).toBeNull();
  });

  it('reads an item of the first format (counts, no ordinals, no v) as counts with unknown ordinals', () => {
    const [item] = segmentItems('u', 's', [{ conversation_id: 'c', title: 'C', create_time: null, model: null, postings: conversationPostings({ messages: [message(0, 'the the plan'), message(5, 'plan')] }) }]);
    expect(item!.v).toBe(SEGMENT_FORMAT);
    const earlier = inEarlierFormat(item!);
    const firstFormat = { pk: earlier.pk, sk: earlier.sk, c: earlier.c, n: earlier.n, t: earlier.t, m: earlier.m, p: gzipSync(gunzipSync(earlier.p).toString('utf8').replace('the\t0:0.0.1', 'the\t0:0.2').replace('plan\t0:0.2,5.0', 'plan\t0:0.1,5.1')) };
    expect(termEntries(firstFormat, ['the']).get('the')!.map((entry) => [entry.conversation_id, [...entry.messages], entry.ordinals])).toEqual([['c', [[0, 2]], null]]);
    expect(termEntries(firstFormat, ['plan']).get('plan')!.map((entry) => [[...entry.messages], entry.ordinals])).toEqual([[[[0, 1], [5, 1]], null]]);
  });

  it('reads an item of format 2 (the conversation table as list attributes) as the current format', () => {
    const conversations = [
      { conversation_id: 'a', title: 'A', create_time: '2024-01-01T00:00:00.000Z', model: 'gpt-4o', postings: conversationPostings({ messages: [message(0, 'the trip plan')] }) },
      { conversation_id: 'b', title: 'B "quoted"', create_time: null, model: null, postings: conversationPostings({ messages: [message(2, 'plan b')] }) },
    ];
    const [item] = segmentItems('u', 's', conversations);
    const current = termEntries(item!, ['plan', 'trip']);
    const second = termEntries(inEarlierFormat(item!), ['plan', 'trip']);
    expect(second).toEqual(current);
    expect(current.get('plan')!.map((entry) => [entry.conversation_id, entry.title, entry.create_time, entry.model])).toEqual([
      ['a', 'A', '2024-01-01T00:00:00.000Z', 'gpt-4o'],
      ['b', 'B "quoted"', null, null],
    ]);
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

/** A current item as format 2 wrote it: the conversation table as list attributes, `p` the lines alone. */
function inEarlierFormat(item: SegmentItem): SegmentItem & { c: string[]; n: string[]; t: string[]; m: string[] } {
  const decoded = decodeSegmentItem(item);
  return { pk: item.pk, sk: item.sk, c: decoded.c, n: decoded.n, t: decoded.t, m: decoded.m, p: gzipSync(decoded.text), v: 2 };
}
