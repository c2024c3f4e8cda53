// Answers a search over one user's archive:
//   1. read the postings of every query term (one shard partition each, in parallel) and the
//      tombstones, and drop entries of conversations that have moved on;
//   2. keep conversations, and in them messages, that have every term; apply the filters;
//   3. rank messages by BM25-style weights (rarer terms and more occurrences count more, with
//      saturation) and conversations by their best message;
//   4. phrases and CJK words (adjacent terms) are decided by the terms' token ordinals in the
//      postings — no message text is read for them. Entries of an index written before ordinals
//      were stored (segment format 1) are checked against the message text instead, lazily, in
//      rank order, only until the page is full (and at most VERIFY_LIMIT such candidates a
//      request), so an archive indexed by an older version answers exactly until reindexed;
//   5. the page's hits get snippets from their best messages in the archive (titles, times and
//      models come with the postings).
// Memory is bounded by the query's shards (about the index's size / SEARCH_SHARDS per term),
// never the whole index. A warm process passes a SearchCache (searchCache.ts): shards read before
// are then only listed (keys), and the snippets' messages read once per conversation version.

import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { messagesAtPositions } from '../archive/messagesAtPositions';
import { queryPages } from '../aws/queryPages';
import type { StoreContext } from '../archive/storeContext';
import { MAX_SEARCH_LIMIT, parseSearchQuery, phrasesOccurAtOrdinals, phrasesOccurIn, SearchQueryError, type SearchPhrase } from './searchQuery';
import { deadPk, searchDocKey, shardPk, smallSegmentsPk, termShard } from './searchIndexKeys';
import { decodedTermEntries, decodeSegmentItem, type DecodedSegmentItem, type SegmentItem, type TermEntry } from './searchSegment';
import type { SearchCache } from './searchCache';
import { batchGetItems } from '../aws/batchGetItems';
import { searchSnippet, type SearchSnippet } from './searchSnippet';
import { tokenize } from './searchText';
import { conversationsTableAttributes } from '../archive/conversationKeys';

const { partitionKey, sortKey } = conversationsTableAttributes;

export interface SearchRequest {
  q: string;
  limit?: number;
  cursor?: string;
  /** YYYY-MM-DD, inclusive, on the conversation's create_time (UTC). */
  from?: string;
  to?: string;
  /** The conversation's model, exactly. */
  model?: string;
}

export interface SearchMessageHit extends SearchSnippet {
  message_id: string;
  position: number;
  role: string;
  score: number;
}

export interface SearchHit {
  conversation_id: string;
  title: string;
  create_time: string | null;
  model: string | null;
  score: number;
  /** The best matching message: the one a hit opens at. */
  message_id: string;
  position: number;
  snippet: string;
  highlights: [number, number][];
  /** The best matching messages, best first (at most 3). */
  messages: SearchMessageHit[];
}

export interface SearchResult {
  hits: SearchHit[];
  /**
   * Conversations matching. When `total_exact` is false (phrases in an index of the first format
   * not all checked yet) it is an upper bound, which the phrases may narrow.
   */
  total: number;
  total_exact: boolean;
  cursor: string | null;
}

export const DEFAULT_SEARCH_LIMIT = 20;
const MESSAGES_PER_HIT = 3;
/** Format-1 candidates whose messages are read at once when checking phrases, and at most per request. */
const VERIFY_BATCH = 40;
const VERIFY_LIMIT = 120;

interface Candidate {
  conversation_id: string;
  row: PostingRow;
  /** position → score, for messages holding every term */
  messages: Map<number, number>;
  score: number;
  /** Its phrases are still to be checked against the text (entries without ordinals). */
  needsText: boolean;
}

/** The archive's context, and what a warm process keeps between searches (none: every query reads all it needs). */
export interface SearchContext extends StoreContext {
  searchCache?: SearchCache;
}

export async function searchArchive(ctx: SearchContext, userId: string, request: SearchRequest): Promise<SearchResult> {
  const query = parseSearchQuery(request.q);
  const limit = request.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) throw new SearchQueryError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  const start = decodeSearchCursor(request.cursor);
  const range = dateRange(request.from, request.to);

  const postings = await readTermPostings(ctx, userId, query.terms, query.phrases.some((phrase) => phrase.terms.length > 1));
  const ranked = rankCandidates(postings, query.phrases, (row) => {
    if (request.model !== undefined && row.m !== request.model) return false;
    if (range && (row.t === undefined || row.t < range.from || row.t >= range.toExclusive)) return false;
    return true;
  });

  const texts = new Map<string, Map<number, NormalizedMessage>>();
  const loadTexts = async (candidates: Candidate[], positionsOf: (candidate: Candidate) => number[]) => {
    const wanted = new Map(candidates.filter((c) => !texts.has(c.conversation_id)).map((c) => [c.conversation_id, positionsOf(c)]));
    if (wanted.size === 0) return;
    const cache = ctx.searchCache;
    const loaded = await messagesAtPositions(ctx, userId, wanted, cache && { cache, versions: await indexedVersions(ctx, userId, [...wanted.keys()]) });
    for (const conversationId of wanted.keys()) texts.set(conversationId, loaded.get(conversationId) ?? new Map());
  };

  // Decided from the postings: the ranking is exact, the page a slice of it. Format-1 entries
  // with phrases: those candidates are checked against their text in rank order, a batch at a
  // time, until the page is full — or, so one request's work stays bounded, VERIFY_LIMIT of them
  // were checked: then the page may be short and the cursor goes on from where checking stopped.
  const needsText = ranked.some((candidate) => candidate.needsText);
  let page: Candidate[];
  let next: number | null;
  if (!needsText) {
    page = ranked.slice(start, start + limit);
    next = start + limit < ranked.length ? start + limit : null;
  } else {
    page = [];
    let index = start;
    let checked = 0;
    while (index < ranked.length && page.length < limit && checked < VERIFY_LIMIT) {
      const batch = ranked.slice(index, index + VERIFY_BATCH);
      await loadTexts(batch.filter((candidate) => candidate.needsText), (candidate) => [...candidate.messages.keys()]);
      for (const candidate of batch) {
        if (page.length === limit) break;
        index += 1;
        if (!candidate.needsText) {
          page.push(candidate);
          continue;
        }
        checked += 1;
        const loaded = texts.get(candidate.conversation_id)!;
        for (const position of [...candidate.messages.keys()]) {
          const message = loaded.get(position);
          if (!message || !phrasesOccurIn(query.phrases, tokenize(message.text).map((token) => token.term))) candidate.messages.delete(position);
        }
        if (candidate.messages.size > 0) page.push(rescored(candidate));
      }
    }
    next = index < ranked.length ? index : null;
  }

  const bestOf = (candidate: Candidate) => [...candidate.messages].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MESSAGES_PER_HIT);
  await loadTexts(page, (candidate) => bestOf(candidate).map(([position]) => position));
  const hits: SearchHit[] = [];
  for (const candidate of page) {
    const loaded = texts.get(candidate.conversation_id)!;
    const messages = bestOf(candidate)
      .map(([position, score]) => ({ message: loaded.get(position), score }))
      .filter((entry): entry is { message: NormalizedMessage; score: number } => entry.message !== undefined)
      .map(({ message, score }) => ({
        message_id: message.id,
        position: message.position,
        role: message.role,
        score: round(score),
        ...searchSnippet(message.text, query),
      }));
    const top = messages[0];
    // No message left at its position: deleted from the archive meanwhile, not a hit.
    if (!top) continue;
    hits.push({
      conversation_id: candidate.conversation_id,
      title: candidate.row.n,
      create_time: candidate.row.t ?? null,
      model: candidate.row.m ?? null,
      score: round(candidate.score),
      message_id: top.message_id,
      position: top.position,
      snippet: top.text,
      highlights: top.highlights,
      messages,
    });
  }
  // Phrases checked on every candidate in this one request: the count is known.
  const allChecked = start === 0 && next === null;
  return {
    hits,
    total: needsText && allChecked ? page.length : ranked.length,
    total_exact: !needsText || allChecked,
    cursor: next === null ? null : encodeSearchCursor(next),
  };
}

interface PostingRow {
  n: string;
  t?: string;
  m?: string;
}

interface TermPostings {
  term: string;
  /** conversation → its filter fields, message positions (→ occurrences) and ordinals (null: format 1) */
  byConversation: Map<string, { row: PostingRow; messages: Map<number, number>; ordinals: Map<number, number[]> | null }>;
}

/** The live postings of `terms` (with ordinals if asked): one shard partition per shard they fall in, plus the tombstones. */
async function readTermPostings(ctx: SearchContext, userId: string, terms: readonly string[], withOrdinals: boolean): Promise<TermPostings[]> {
  const byShard = new Map<number, string[]>();
  for (const term of terms) byShard.set(termShard(term), [...(byShard.get(termShard(term)) ?? []), term]);
  const [dead, small, ...shards] = await Promise.all([
    queryAll(ctx, deadPk(userId), 's, c'),
    segmentItemsOf(ctx, smallSegmentsPk(userId)),
    ...[...byShard.keys()].map((shard) => segmentItemsOf(ctx, shardPk(userId, shard))),
  ]);
  const deadEntries = new Set(dead.map((item) => `${item.s as string}\u0000${item.c as string}`));
  const result = new Map(terms.map((term) => [term, { term, byConversation: new Map() } as TermPostings]));
  // Small segments hold every shard in one item: asked for all the terms.
  [...[...byShard.values()].map((shardTerms, index) => ({ shardTerms, items: shards[index]! })), { shardTerms: [...terms], items: small }].forEach(({ shardTerms, items }) => {
    for (const { pk, sk, segment, item } of items) {
      for (const term of shardTerms) {
        const entries = termEntriesOf(ctx.searchCache, pk, sk, item, term, withOrdinals);
        const target = result.get(term)!.byConversation;
        for (const entry of entries) {
          if (deadEntries.has(`${segment}\u0000${entry.conversation_id}`)) continue;
          const known = target.get(entry.conversation_id);
          if (known) {
            // Entries may be shared with the cache: merged into new maps, never changed.
            known.messages = new Map([...known.messages, ...entry.messages]);
            known.ordinals = known.ordinals && entry.ordinals ? new Map([...known.ordinals, ...entry.ordinals]) : null;
          } else {
            const row = { n: entry.title, ...(entry.create_time ? { t: entry.create_time } : {}), ...(entry.model ? { m: entry.model } : {}) };
            target.set(entry.conversation_id, { row, messages: entry.messages, ordinals: entry.ordinals });
          }
        }
      }
    }
  });
  return [...result.values()];
}

/** A term's entries in one segment item, parsed once per warm process. */
function termEntriesOf(cache: SearchCache | undefined, pk: string, sk: string, item: DecodedSegmentItem, term: string, ordinals: boolean): TermEntry[] {
  const cached = cache?.termEntries(pk, sk, term, ordinals);
  if (cached) return cached;
  const entries = decodedTermEntries(item, [term], { ordinals }).get(term) ?? [];
  cache?.keepTermEntries(pk, sk, term, ordinals, entries);
  return entries;
}

/**
 * The version (content_hash) of each conversation the index holds, from the DOC records (small
 * items): the version whose postings matched, so its cached messages are the ones to show.
 */
async function indexedVersions(ctx: SearchContext, userId: string, conversationIds: string[]): Promise<Map<string, string>> {
  const docs = await batchGetItems(ctx, ctx.resources.tables.Conversations, conversationIds.map((id) => searchDocKey(userId, id)), ['conversation_id', 'content_hash']);
  return new Map(docs.flatMap((doc) => (typeof doc.content_hash === 'string' ? [[doc.conversation_id as string, doc.content_hash] as const] : [])));
}

const segmentAttributes = [sortKey, 'c', 'n', 't', 'm', 'p', 'v'];

/**
 * A shard partition's segment items, decoded. With a cache that has read the partition before:
 * its keys are listed, and only items not cached are read (segment items never change, so a
 * listed key's cached item is exact).
 */
async function segmentItemsOf(ctx: SearchContext, pk: string): Promise<{ pk: string; sk: string; segment: string; item: DecodedSegmentItem }[]> {
  const cache = ctx.searchCache;
  const decoded = (stored: Record<string, unknown>) => {
    const sk = stored[sortKey] as string;
    const item = decodeSegmentItem(stored as unknown as SegmentItem);
    cache?.keepSegment(pk, sk, item);
    return { sk, item };
  };
  let items: { sk: string; item: DecodedSegmentItem }[];
  if (!cache?.hasListed(pk)) {
    items = (await queryAll(ctx, pk, segmentAttributes.join(', '))).map(decoded);
    cache?.markListed(pk);
  } else {
    const keys = (await queryAll(ctx, pk, sortKey)).map((stored) => stored[sortKey] as string);
    const cached = new Map(keys.flatMap((sk) => {
      const item = cache.segment(pk, sk);
      return item ? [[sk, item] as const] : [];
    }));
    const missing = keys.filter((sk) => !cached.has(sk));
    const read = missing.length === 0 ? [] : (await batchGetItems(ctx, ctx.resources.tables.Conversations, missing.map((sk) => ({ pk, sk })), segmentAttributes)).map(decoded);
    // In the partition's key order, as the Query returns them: which item answers first stays the same.
    items = [...[...cached].map(([sk, item]) => ({ sk, item })), ...read].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  }
  return items.map(({ sk, item }) => ({ pk, sk, segment: sk.slice(0, sk.lastIndexOf('#')), item }));
}

async function queryAll(ctx: StoreContext, pk: string, projection: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    KeyConditionExpression: `${partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: projection,
  });
  for await (const page of pages) items.push(...page);
  return items;
}

/**
 * Pure: the conversations holding every term in one message, with the phrases there when the
 * ordinals are known (else `needsText`), ranked. Exported for tests and the bench.
 */
export function rankCandidates(postings: TermPostings[], phrases: readonly SearchPhrase[], keep: (row: PostingRow) => boolean): Candidate[] {
  const hasPhrases = phrases.some((phrase) => phrase.terms.length > 1);
  const sorted = [...postings].sort((a, b) => a.byConversation.size - b.byConversation.size);
  const rarest = sorted[0];
  if (!rarest) return [];
  const weights = new Map(postings.map((entry) => [entry.term, Math.log(1 + 10_000 / Math.max(1, entry.byConversation.size))]));
  const candidates: Candidate[] = [];
  for (const [conversationId, first] of rarest.byConversation) {
    if (!keep(first.row)) continue;
    const perTerm = sorted.map((entry) => entry.byConversation.get(conversationId));
    if (perTerm.some((entry) => entry === undefined)) continue;
    const withOrdinals = perTerm.every((entry) => entry!.ordinals !== null);
    const ordinalsAt = (position: number) => (term: string) => perTerm[sorted.findIndex((entry) => entry.term === term)]!.ordinals!.get(position)!;
    const messages = new Map<number, number>();
    for (const position of first.messages.keys()) {
      let score = 0;
      let all = true;
      for (const [index, entry] of perTerm.entries()) {
        const count = entry!.messages.get(position);
        if (count === undefined) {
          all = false;
          break;
        }
        score += weights.get(sorted[index]!.term)! * ((count * 2.2) / (count + 1.2));
      }
      if (all && hasPhrases && withOrdinals && !phrasesOccurAtOrdinals(phrases, ordinalsAt(position))) all = false;
      if (all) messages.set(position, score);
    }
    if (messages.size > 0) candidates.push(rescored({ conversation_id: conversationId, row: first.row, messages, score: 0, needsText: hasPhrases && !withOrdinals }));
  }
  return candidates.sort((a, b) => b.score - a.score || (a.conversation_id < b.conversation_id ? -1 : 1));
}

/** A conversation ranks by its best message, a little more for each further matching one. */
function rescored(candidate: Candidate): Candidate {
  const scores = [...candidate.messages.values()];
  candidate.score = Math.max(...scores) + 0.2 * Math.log(scores.length);
  return candidate;
}

function dateRange(from: string | undefined, to: string | undefined): { from: string; toExclusive: string } | null {
  if (from === undefined && to === undefined) return null;
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
      throw new SearchQueryError(`${name} must be a date as YYYY-MM-DD`);
    }
  }
  const toExclusive = to === undefined ? '\uffff' : new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  return { from: from === undefined ? '' : `${from}T00:00:00.000Z`, toExclusive };
}

function encodeSearchCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeSearchCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // falls through to the error below
  }
  throw new SearchQueryError('invalid cursor');
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
