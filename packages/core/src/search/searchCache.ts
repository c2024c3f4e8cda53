// What a warm process (an API Lambda container, the local server) keeps between searches, bounded
// in bytes. Exact by construction, never by expiry:
//   - Segment items are immutable: every indexing batch writes a new segment id and nothing ever
//     rewrites an item (an edit or delete adds a tombstone instead). A cached item is right for
//     as long as its key exists, so a query still lists its shards' keys (a few bytes each) and
//     uses a cached item only for a key listed now.
//     A term's entries parsed from an item are as immutable as the item.
//   - Messages are cached under their conversation's content_hash, which the query reads from
//     the META: another version of the conversation has another hash, so an entry can go unused,
//     never stale.
// Keys start with the user's partition, as in the table: one user's entries never answer another.

import { LRUCache } from 'lru-cache';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import type { DecodedSegmentItem, TermEntry } from './searchSegment';

export interface SearchCacheLimits {
  /** Decoded segment items (~5× their gzipped size). */
  segmentBytes: number;
  /** Terms' entries parsed from them (a repeated or paged query parses nothing again). */
  entryBytes: number;
  messageBytes: number;
}

/** A budget split: shards are what a query reads most of; parsed entries and snippets' messages less. */
export function searchCacheLimits(totalBytes: number): SearchCacheLimits {
  return { segmentBytes: Math.floor(totalBytes * 0.6), entryBytes: Math.floor(totalBytes * 0.25), messageBytes: Math.floor(totalBytes * 0.15) };
}

/** 128 MB: a quarter of the API Lambda's 512 MB; a query's own heap stays well under the rest. */
const DEFAULT_BUDGET_BYTES = 128 * 1024 * 1024;
/** Shard partitions remembered as listed; past this the oldest are read whole again. */
const LISTED_PARTITIONS = 10_000;

export class SearchCache {
  private readonly segments: LRUCache<string, DecodedSegmentItem>;
  private readonly entries: LRUCache<string, TermEntry[]>;
  private readonly messages: LRUCache<string, NormalizedMessage>;
  private readonly listed = new LRUCache<string, true>({ max: LISTED_PARTITIONS });

  constructor(limits: SearchCacheLimits = searchCacheLimits(DEFAULT_BUDGET_BYTES)) {
    this.segments = new LRUCache({ maxSize: limits.segmentBytes, sizeCalculation: segmentBytes });
    this.entries = new LRUCache({ maxSize: limits.entryBytes, sizeCalculation: entriesBytes });
    this.messages = new LRUCache({ maxSize: limits.messageBytes, sizeCalculation: messageBytes });
  }

  /** Whether a shard partition was read here before: then listing its keys first pays off. */
  hasListed(pk: string): boolean {
    return this.listed.has(pk);
  }

  markListed(pk: string): void {
    this.listed.set(pk, true);
  }

  segment(pk: string, sk: string): DecodedSegmentItem | undefined {
    return this.segments.get(`${pk}\u0000${sk}`);
  }

  keepSegment(pk: string, sk: string, item: DecodedSegmentItem): void {
    this.segments.set(`${pk}\u0000${sk}`, item);
  }

  /** A term's entries in a segment item (with ordinals or counts only, as parsed). */
  termEntries(pk: string, sk: string, term: string, ordinals: boolean): TermEntry[] | undefined {
    return this.entries.get(`${pk}\u0000${sk}\u0000${ordinals ? 1 : 0}\u0000${term}`);
  }

  keepTermEntries(pk: string, sk: string, term: string, ordinals: boolean, entries: TermEntry[]): void {
    this.entries.set(`${pk}\u0000${sk}\u0000${ordinals ? 1 : 0}\u0000${term}`, entries);
  }

  message(pk: string, contentHash: string, position: number): NormalizedMessage | undefined {
    return this.messages.get(`${pk}\u0000${contentHash}\u0000${position}`);
  }

  keepMessage(pk: string, contentHash: string, message: NormalizedMessage): void {
    this.messages.set(`${pk}\u0000${contentHash}\u0000${message.position}`, message);
  }
}

/** V8 strings take up to 2 bytes a character; an item larger than the whole cache is not kept. */
function segmentBytes(item: DecodedSegmentItem): number {
  let characters = item.text.length;
  for (const list of [item.c, item.n, item.t, item.m]) for (const value of list) characters += value.length + 8;
  return Math.max(1, characters * 2);
}

/** Maps and arrays as V8 lays them out, roughly: ~50 bytes a message entry, 8 an ordinal. */
function entriesBytes(entries: TermEntry[]): number {
  let bytes = 64;
  for (const entry of entries) {
    bytes += 120 + entry.messages.size * 50;
    if (entry.ordinals) for (const ordinals of entry.ordinals.values()) bytes += 16 + ordinals.length * 8;
  }
  return bytes;
}

function messageBytes(message: NormalizedMessage): number {
  return Math.max(1, (message.text.length + message.id.length + 200) * 2);
}
