// A segment's items, pure: the postings of a batch of conversations split by term shard, each
// shard's text gzipped into as few items as fit DynamoDB's 400 KB.
//
// Item text (gzipped in `p`): first the item's conversation table as one JSON line,
// `{"c":[ids],"n":[titles],"t":[create_times],"m":[models]}` ('' for no time or model: hits and
// filters need no META read), then one line per term,
// `term\t<conv>:<pos>.<ordinals>,<pos>.<ordinals>;<conv>:…`, where <conv> indexes the table and
// <ordinals> are the term's token ordinals in that message, the first one then the gaps,
// dot-separated (`12.3.40` = ordinals 12, 15, 55; their count is the term's frequency). Lines are
// found by a plain indexOf of `\n<term>\t` at query time: no parsing of other terms (the table's
// JSON holds no raw newline or tab, so it never matches).
//
// Format versions (`v` on the item): 3 is the above. 2 kept the table as four list attributes
// (`c`, `n`, `t`, `m`) beside `p`: a 250-conversation segment repeated ~250 × 4 list elements in
// each of its 64 items, most of its bytes and of DynamoDB's work writing them. Items without `v`
// are the first format, `<pos>.<count>` without ordinals. All three are read; the query checks
// phrases in first-format entries against the message text instead (searchArchive.ts), until
// `threadline reindex` rewrites them.

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
  /** gzipped text: the conversation table (format 3), then the lines */
  p: Uint8Array;
  /** SEGMENT_FORMAT; absent on items of the first format (counts, no ordinals) */
  v?: number;
  /** Formats 1 and 2: the conversation table as lists, by <conv> index. */
  c?: string[];
  n?: string[];
  t?: string[];
  m?: string[];
}

/** An item's conversation table: ids, titles, create_times ('' when none), models ('' when none), by <conv> index. */
export interface ConversationTable {
  c: string[];
  n: string[];
  t: string[];
  m: string[];
}

/** The format this code writes: postings with token ordinals, the table inside the gzipped text. */
export const SEGMENT_FORMAT = 3;
/** From this format on, entries carry token ordinals. */
const ORDINALS_FORMAT = 2;

/** Raw text per item before gzip; gzip shrinks postings ~2.2× (measured on the generated export), so items stay under 400 KB. */
const MAX_TEXT_PER_ITEM = 600_000;
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
  // shard → term → its postings in each conversation of the batch, kept as the conversations'
  // number arrays until an item's text is written: bytes straight from the numbers, no strings.
  const byShard = Array.from({ length: SEARCH_SHARDS }, () => new Map<string, TermPostingList>());
  let rawSize = 0;
  conversations.forEach((conversation, index) => {
    for (const [term, entries] of conversation.postings) {
      // ~3 characters a number: a digit or two and its separator.
      const size = entries.length * 3 + 4;
      rawSize += term.length + size;
      const shard = byShard[termShard(term)]!;
      let list = shard.get(term);
      if (!list) shard.set(term, (list = { conversations: [], entries: [], size: term.length + 2 }));
      list.conversations.push(index);
      list.entries.push(entries);
      list.size += size;
    }
  });
  const items: SegmentItem[] = [];
  if (rawSize === 0) return items;

  /** An item's gzipped text: the lines of `terms`, preceded by the table of the conversations they use. */
  const gzippedText = (terms: Iterable<[string, TermPostingList]>): Uint8Array => {
    const used = new Map<number, number>();
    const lines = new LineWriter();
    for (const [term, postings] of terms) lines.line(term, postings, used);
    lines.newline();
    const order = [...used.keys()];
    const table: ConversationTable = {
      c: order.map((index) => conversations[index]!.conversation_id),
      n: order.map((index) => conversations[index]!.title),
      t: order.map((index) => conversations[index]!.create_time ?? ''),
      m: order.map((index) => conversations[index]!.model ?? ''),
    };
    // Level 1: postings (mostly digits) shrink only ~2.2× at any level; 1 takes 0.75× the time of 3 for 3 % more bytes.
    return gzipSync(Buffer.concat([Buffer.from(JSON.stringify(table)), lines.written()]), { level: 1 });
  };
  const itemOf = (key: { pk: string; sk: string }, p: Uint8Array): SegmentItem => ({ ...key, p, v: SEGMENT_FORMAT });

  // Postings compress ~2.2×: only a segment that may fit is tried whole.
  if (rawSize < limits.small * 3) {
    const whole = itemOf(segmentItemKey(userId, null, segmentId, 0), gzippedText(byShard.flatMap((terms) => [...terms])));
    if (whole.p.length < limits.small) return [whole];
  }

  byShard.forEach((terms, shard) => {
    if (terms.size === 0) return;
    let part = 0;
    // Each part numbers the conversations its lines use in its own table.
    const emit = (group: [string, TermPostingList][]) => {
      const p = gzippedText(group);
      if (p.length > limits.gzipped && group.length > 1) {
        emit(group.slice(0, group.length >> 1));
        emit(group.slice(group.length >> 1));
        return;
      }
      items.push(itemOf(segmentItemKey(userId, shard, segmentId, part), p));
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
  entries: number[][];
  /** Characters the line will take, about. */
  size: number;
}

/** An item's lines as bytes: `\n<term>\t<conv>:<pos>.<first>.<gap>…,<pos>…;<conv>:…` each. */
class LineWriter {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;

  /** Writes a term's line, each conversation numbered in this item's table (added to it if new). */
  line(term: string, postings: TermPostingList, used: Map<number, number>): void {
    this.room(term.length * 3 + 2);
    this.bytes[this.length++] = NEWLINE;
    this.length += this.bytes.write(term, this.length);
    this.bytes[this.length++] = TAB;
    for (let i = 0; i < postings.conversations.length; i += 1) {
      const index = postings.conversations[i]!;
      let mapped = used.get(index);
      if (mapped === undefined) used.set(index, (mapped = used.size));
      const entries = postings.entries[i]!;
      // Each number takes at most 10 digits and one separator.
      this.room(12 + entries.length * 11);
      if (i > 0) this.bytes[this.length++] = SEMICOLON;
      this.number(mapped);
      this.bytes[this.length++] = COLON;
      let firstOfMessage = true;
      for (let k = 0; k < entries.length; k += 1) {
        const value = entries[k]!;
        if (value < 0) {
          if (k > 0) this.bytes[this.length++] = COMMA;
          this.number(-value - 1);
          this.bytes[this.length++] = DOT;
          firstOfMessage = true;
        } else {
          if (!firstOfMessage) this.bytes[this.length++] = DOT;
          this.number(value);
          firstOfMessage = false;
        }
      }
    }
  }

  newline(): void {
    this.room(1);
    this.bytes[this.length++] = NEWLINE;
  }

  written(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  /** Decimal digits of a non-negative integer. */
  private number(value: number): void {
    if (value < 10) {
      this.bytes[this.length++] = ZERO + value;
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    let at = this.length + digits;
    this.length = at;
    for (let rest = value; at > this.length - digits; rest = Math.floor(rest / 10)) this.bytes[--at] = ZERO + (rest % 10);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + bytes));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
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

/** A segment item with its postings gunzipped and its table parsed: what a query scans, and what a warm process caches. */
export interface DecodedSegmentItem extends ConversationTable {
  v?: number;
  /** The item's lines, each preceded by `\n`, the last followed by one. */
  text: string;
}

type StoredSegmentItem = Pick<SegmentItem, 'c' | 'n' | 't' | 'm' | 'p' | 'v'>;

export function decodeSegmentItem(item: StoredSegmentItem): DecodedSegmentItem {
  const text = gunzipSync(item.p).toString('utf8');
  const version = item.v !== undefined ? { v: item.v } : {};
  if ((item.v ?? 1) < SEGMENT_FORMAT) return { c: item.c ?? [], n: item.n ?? [], t: item.t ?? [], m: item.m ?? [], ...version, text };
  const tableEnd = text.indexOf('\n');
  const table = JSON.parse(text.slice(0, tableEnd)) as ConversationTable;
  return { c: table.c, n: table.n, t: table.t, m: table.m, ...version, text: text.slice(tableEnd) };
}

/**
 * The entries of `terms` in one segment item. Ordinals only on request: a query without phrases
 * needs the counts alone, and a common word's ordinals are most of its line.
 */
export function termEntries(item: StoredSegmentItem, terms: readonly string[], options: { ordinals: boolean } = { ordinals: true }): Map<string, TermEntry[]> {
  return decodedTermEntries(decodeSegmentItem(item), terms, options);
}

export function decodedTermEntries(item: DecodedSegmentItem, terms: readonly string[], options: { ordinals: boolean } = { ordinals: true }): Map<string, TermEntry[]> {
  const { text } = item;
  const stored = (item.v ?? 1) >= ORDINALS_FORMAT;
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
const SEMICOLON = 59;
const NEWLINE = 10;
const TAB = 9;
