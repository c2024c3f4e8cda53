// A segment's items, pure: the postings of a batch of conversations split by term shard, each
// shard's text gzipped into as few items as fit DynamoDB's 400 KB.
//
// Item text: one line per term, `term\t<conv>:<pos>.<ordinals>,<pos>.<ordinals>;<conv>:…`, where
// <conv> indexes the item's `c` list (conversation ids; `t` and `m` hold their create_time and
// model for the filters) and <ordinals> are the term's token ordinals in that message, the first
// one then the gaps, dot-separated (`12.3.40` = ordinals 12, 15, 55; their count is the term's
// frequency). Lines are found by a plain indexOf at query time: no parsing of other terms.
//
// Format versions (`v` on the item): 2 is the above. Items without `v` are the first format,
// `<pos>.<count>` without ordinals: still read, and the query checks phrases in those entries
// against the message text instead (searchArchive.ts), until `threadline reindex` rewrites them.

import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConversationPostings } from './conversationPostings';
import { SEARCH_SHARDS, segmentItemKey, termShard } from './searchIndexKeys';

export interface SegmentConversation {
  conversation_id: string;
  title: string;
  create_time: string | null;
  model: string | null;
  postings: ConversationPostings;
}

export interface SegmentItem {
  pk: string;
  sk: string;
  /** conversation ids, titles, create_times ('' when none) and models ('' when none), by <conv>
   *  index: a page of hits needs no read of the conversations' META items (which carry transcripts) */
  c: string[];
  n: string[];
  t: string[];
  m: string[];
  /** gzipped lines */
  p: Uint8Array;
  /** SEGMENT_FORMAT; absent on items of the first format (counts, no ordinals) */
  v?: number;
}

/** The format this code writes: postings with token ordinals. */
export const SEGMENT_FORMAT = 2;

/** Raw text per item before gzip; gzip shrinks it ~4–6×, so items stay well under 400 KB. */
const MAX_TEXT_PER_ITEM = 1_200_000;
/** Should text compress worse than that, a part this large once gzipped is cut in two. */
const MAX_GZIPPED_PER_ITEM = 300_000;
/**
 * A segment smaller than this (gzipped) is one item, not one per shard: a re-import that changed
 * a few conversations, or a small export, costs one write instead of 64.
 */
const SMALL_SEGMENT_BYTES = 64_000;

export function segmentItems(
  userId: string,
  segmentId: string,
  conversations: readonly SegmentConversation[],
  limits: { text: number; gzipped: number; small: number } = { text: MAX_TEXT_PER_ITEM, gzipped: MAX_GZIPPED_PER_ITEM, small: SMALL_SEGMENT_BYTES },
): SegmentItem[] {
  // shard → conversation index → lines of that conversation (kept per conversation so a part
  // can be cut between conversations, each part with its own small conversation table)
  // Each term's postings stay (conversation index, entries) pairs until a line is written, so the
  // entries (long ropes of appended text) are joined once, never cut apart or re-read.
  const byShard = Array.from({ length: SEARCH_SHARDS }, () => new Map<string, TermPostingList>());
  let rawSize = 0;
  conversations.forEach((conversation, index) => {
    for (const [term, entries] of conversation.postings) {
      const size = term.length + entries.length + 8;
      rawSize += size;
      const shard = byShard[termShard(term)]!;
      let list = shard.get(term);
      if (!list) shard.set(term, (list = { conversations: [], entries: [], size: term.length }));
      list.conversations.push(index);
      list.entries.push(entries);
      list.size += size - term.length;
    }
  });
  const items: SegmentItem[] = [];
  if (rawSize === 0) return items;
  // Postings compress well over 4×: only a segment that may fit is tried whole.
  if (rawSize < limits.small * 16) {
    const used = new Map<number, number>();
    const lines = byShard.flatMap((terms) => [...terms].map(([term, postings]) => lineOf(term, postings, used)));
    const whole = itemOf(segmentItemKey(userId, null, segmentId, 0), used, gzipSync(`\n${lines.join('\n')}\n`, { level: 3 }));
    if (whole.p.length < limits.small) return [whole];
  }

  function itemOf(key: { pk: string; sk: string }, used: Map<number, number>, p: Uint8Array): SegmentItem {
    const order = [...used.keys()];
    return {
      ...key,
      c: order.map((index) => conversations[index]!.conversation_id),
      n: order.map((index) => conversations[index]!.title),
      t: order.map((index) => conversations[index]!.create_time ?? ''),
      m: order.map((index) => conversations[index]!.model ?? ''),
      p,
      v: SEGMENT_FORMAT,
    };
  }

  byShard.forEach((terms, shard) => {
    if (terms.size === 0) return;
    let part = 0;
    // Each line keeps the segment-wide conversation indexes; a part renumbers its own.
    const emit = (group: [string, TermPostingList][]) => {
      const used = new Map<number, number>();
      const lines = group.map(([term, postings]) => lineOf(term, postings, used));
      const p = gzipSync(`\n${lines.join('\n')}\n`, { level: 3 });
      if (p.length > limits.gzipped && group.length > 1) {
        emit(group.slice(0, group.length >> 1));
        emit(group.slice(group.length >> 1));
        return;
      }
      items.push(itemOf(segmentItemKey(userId, shard, segmentId, part), used, p));
      part += 1;
    };
    let group: [string, TermPostingList][] = [];
    let size = 0;
    for (const entry of terms) {
      group.push(entry);
      size += entry[1].size;
      if (size > limits.text) {
        emit(group);
        group = [];
        size = 0;
      }
    }
    if (group.length > 0) emit(group);
  });
  return items;
}

interface TermPostingList {
  /** Segment-wide conversation indexes, and each one's entries (conversationPostings.ts). */
  conversations: number[];
  entries: string[];
  /** Characters the line will take, about. */
  size: number;
}

/** `term\t<conv>:<entries>;…`, each conversation numbered in this item's table (added to it if new). */
function lineOf(term: string, postings: TermPostingList, used: Map<number, number>): string {
  const parts: string[] = [];
  for (let i = 0; i < postings.conversations.length; i += 1) {
    const index = postings.conversations[i]!;
    let mapped = used.get(index);
    if (mapped === undefined) used.set(index, (mapped = used.size));
    parts.push(`${mapped}:${postings.entries[i]!}`);
  }
  return `${term}\t${parts.join(';')}`;
}


export interface TermEntry {
  conversation_id: string;
  title: string;
  create_time: string | null;
  model: string | null;
  /** message position → occurrences */
  messages: Map<number, number>;
  /** message position → the term's token ordinals there; null when not asked for, or for an item of the first format */
  ordinals: Map<number, number[]> | null;
}

/** A segment item with its postings gunzipped: what a query scans, and what a warm process caches. */
export interface DecodedSegmentItem extends Pick<SegmentItem, 'c' | 'n' | 't' | 'm' | 'v'> {
  /** The item's lines, `\n`-framed. */
  text: string;
}

export function decodeSegmentItem(item: Pick<SegmentItem, 'c' | 'n' | 't' | 'm' | 'p' | 'v'>): DecodedSegmentItem {
  return { c: item.c, n: item.n, t: item.t, m: item.m, ...(item.v !== undefined ? { v: item.v } : {}), text: gunzipSync(item.p).toString('utf8') };
}

/**
 * The entries of `terms` in one segment item. Ordinals only on request: a query without phrases
 * needs the counts alone, and a common word's ordinals are most of its line.
 */
export function termEntries(item: Pick<SegmentItem, 'c' | 'n' | 't' | 'm' | 'p' | 'v'>, terms: readonly string[], options: { ordinals: boolean } = { ordinals: true }): Map<string, TermEntry[]> {
  return decodedTermEntries(decodeSegmentItem(item), terms, options);
}

export function decodedTermEntries(item: DecodedSegmentItem, terms: readonly string[], options: { ordinals: boolean } = { ordinals: true }): Map<string, TermEntry[]> {
  const { text } = item;
  const stored = (item.v ?? 1) >= SEGMENT_FORMAT;
  const withOrdinals = stored && options.ordinals;
  const found = new Map<string, TermEntry[]>();
  for (const term of terms) {
    const start = text.indexOf(`\n${term}\t`);
    if (start < 0) continue;
    const entries: TermEntry[] = [];
    const end = text.indexOf('\n', start + 1);
    // A hand-rolled scan: the line of a common word holds most of the item's numbers.
    let at = start + term.length + 2;
    while (at < end) {
      let index = 0;
      for (let code = text.charCodeAt(at); code !== COLON; code = text.charCodeAt(++at)) index = index * 10 + code - ZERO;
      at += 1;
      const messages = new Map<number, number>();
      const ordinals = withOrdinals ? new Map<number, number[]>() : null;
      for (;;) {
        let position = 0;
        for (let code = text.charCodeAt(at); code !== DOT; code = text.charCodeAt(++at)) position = position * 10 + code - ZERO;
        at += 1;
        // Format 2: ordinals (first, then gaps), as many as occurrences. Format 1: one count.
        const list: number[] | null = withOrdinals ? [] : null;
        let numbers = 0;
        let previous = 0;
        let value = 0;
        let code = text.charCodeAt(at);
        for (;;) {
          if (code >= ZERO && code <= NINE) value = value * 10 + code - ZERO;
          else {
            if (list) list.push((previous += value));
            else if (numbers === 0) previous = value;
            numbers += 1;
            value = 0;
            if (code !== DOT) break;
          }
          code = text.charCodeAt(++at);
        }
        messages.set(position, stored ? numbers : previous);
        if (ordinals) ordinals.set(position, list!);
        at += 1;
        if (code !== COMMA) break;
      }
      entries.push({ conversation_id: item.c[index]!, title: item.n?.[index] ?? '', create_time: item.t[index] || null, model: item.m[index] || null, messages, ordinals });
    }
    found.set(term, entries);
  }
  return found;
}

const ZERO = 48;
const NINE = 57;
const COLON = 58;
const DOT = 46;
const COMMA = 44;
