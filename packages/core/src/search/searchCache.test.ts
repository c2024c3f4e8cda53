import { describe, expect, it } from 'vitest';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { SearchCache, searchCacheLimits } from './searchCache';
import type { DecodedSegmentItem } from './searchSegment';

const item = (text: string): DecodedSegmentItem => ({ c: ['c1'], n: ['title'], t: [''], m: [''], v: 2, text });
const message = (position: number, text: string): NormalizedMessage => ({
  id: `m${position}`,
  position,
  role: 'user',
  author_name: null,
  content_type: 'text',
  text,
  create_time: null,
  model: null,
  recipient: null,
  attachments: [],
  asset_pointers: [],
});

describe('SearchCache', () => {
  it('keeps items under their partition and sort key only', () => {
    const cache = new SearchCache();
    cache.keepSegment('USER#a#SHARD#01', 's1#0', item('\nterm\t0:1.0\n'));
    expect(cache.segment('USER#a#SHARD#01', 's1#0')?.text).toBe('\nterm\t0:1.0\n');
    expect(cache.segment('USER#b#SHARD#01', 's1#0')).toBeUndefined();
    expect(cache.hasListed('USER#a#SHARD#01')).toBe(false);
    cache.markListed('USER#a#SHARD#01');
    expect(cache.hasListed('USER#a#SHARD#01')).toBe(true);
  });

  it('answers a message only under the version it was kept for', () => {
    const cache = new SearchCache();
    cache.keepMessage('USER#a#CONV#x', 'hash-1', message(3, 'old words'));
    expect(cache.message('USER#a#CONV#x', 'hash-1', 3)?.text).toBe('old words');
    expect(cache.message('USER#a#CONV#x', 'hash-2', 3)).toBeUndefined();
    expect(cache.message('USER#a#CONV#x', 'hash-1', 4)).toBeUndefined();
  });

  it('stays within its byte budget, dropping the least recently used', () => {
    const cache = new SearchCache(searchCacheLimits(100_000)); // 60 KB for segments
    const text = 'x'.repeat(10_000); // ~20 KB as a V8 string, counted at 2 bytes a character
    for (let i = 0; i < 10; i += 1) cache.keepSegment('USER#a#SHARD#01', `s${i}#0`, item(text));
    const kept = Array.from({ length: 10 }, (_, i) => cache.segment('USER#a#SHARD#01', `s${i}#0`) !== undefined);
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(3);
    expect(kept[9]).toBe(true);
    expect(kept[0]).toBe(false);
  });

  it('does not keep an item larger than its whole budget', () => {
    const cache = new SearchCache(searchCacheLimits(10_000));
    cache.keepSegment('USER#a#SHARD#01', 'big#0', item('x'.repeat(50_000)));
    expect(cache.segment('USER#a#SHARD#01', 'big#0')).toBeUndefined();
  });
});
