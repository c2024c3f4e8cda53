// Answers a search over one user's archive:
//   1. read the postings of every query term (one partition each, in parallel);
//   2. keep conversations, and in them messages, that have every term; apply the filters;
//   3. rank messages by BM25-style weights (rarer terms and more occurrences count more, with
//      saturation) and conversations by their best message;
//   4. phrases and CJK words (adjacent terms) are checked against the message text, lazily, in
//      rank order, only until the page is full;
//   5. the page's hits get titles (META) and snippets (message text) from the archive.
// Memory is bounded by the postings of the query's terms, never the whole index.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { batchGetItems } from '../store/batchGetItems';
import { metaKey } from '../store/conversationKeys';
import { listMessages } from '../store/listMessages';
import { defaultRetryBackoff, withThrottleRetry } from '../store/retryBackoff';
import type { StoreContext } from '../store/storeContext';
import { decodePosting } from './conversationPostings';
import { parseSearchQuery, phrasesOccurIn, SearchQueryError } from './searchQuery';
import { termPk } from './searchIndexKeys';
import { searchSnippet, type SearchSnippet } from './searchSnippet';
import { tokenize } from './searchText';

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
  /** Conversations matching; a lower bound while `total_exact` is false (phrases not all checked yet). */
  total: number;
  total_exact: boolean;
  cursor: string | null;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;
const MESSAGES_PER_HIT = 3;

interface Candidate {
  conversation_id: string;
  /** position → score, for messages holding every term */
  messages: Map<number, number>;
  score: number;
}

export async function searchArchive(ctx: StoreContext, userId: string, request: SearchRequest): Promise<SearchResult> {
  const query = parseSearchQuery(request.q);
  const limit = request.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) throw new SearchQueryError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  const offset = decodeSearchCursor(request.cursor);
  const range = dateRange(request.from, request.to);

  const postings = await Promise.all(query.terms.map((term) => readTermPostings(ctx, userId, term)));
  const ranked = rankCandidates(postings, (item) => {
    if (request.model !== undefined && item.m !== request.model) return false;
    if (range && (item.t === undefined || item.t < range.from || item.t >= range.toExclusive)) return false;
    return true;
  });

  const needsText = query.phrases.some((phrase) => phrase.terms.length > 1);
  const texts = new Map<string, Map<number, NormalizedMessage>>();
  const loadTexts = async (candidate: Candidate) => {
    const loaded = await messagesAt(ctx, userId, candidate.conversation_id, new Set(candidate.messages.keys()));
    texts.set(candidate.conversation_id, loaded);
    return loaded;
  };

  // Phrases: verify in rank order until the page (and one more, to know a next page exists) is known.
  let verified: Candidate[] = ranked;
  let exact = true;
  if (needsText) {
    verified = [];
    let checked = 0;
    for (; checked < ranked.length && verified.length < offset + limit + 1; checked += 1) {
      const candidate = ranked[checked]!;
      const loaded = await loadTexts(candidate);
      for (const position of [...candidate.messages.keys()]) {
        const message = loaded.get(position);
        if (!message || !phrasesOccurIn(query.phrases, tokenize(message.text).map((token) => token.term))) candidate.messages.delete(position);
      }
      if (candidate.messages.size > 0) verified.push(rescored(candidate));
    }
    exact = checked === ranked.length;
  }

  const page = verified.slice(offset, offset + limit);
  const metas = new Map(
    (await batchGetItems(ctx, ctx.resources.tables.Conversations, page.map((c) => metaKey(userId, c.conversation_id)), ['conversation_id', 'title', 'create_time', 'model'])).map(
      (item) => [item.conversation_id as string, item],
    ),
  );
  const hits: SearchHit[] = [];
  for (const candidate of page) {
    const meta = metas.get(candidate.conversation_id);
    // Postings of a conversation deleted meanwhile: not a hit.
    if (!meta) continue;
    const loaded = texts.get(candidate.conversation_id) ?? (await loadTexts(candidate));
    const best = [...candidate.messages].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MESSAGES_PER_HIT);
    const messages = best
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
    if (!top) continue;
    hits.push({
      conversation_id: candidate.conversation_id,
      title: (meta.title as string | undefined) ?? '',
      create_time: (meta.create_time as string | null | undefined) ?? null,
      model: (meta.model as string | null | undefined) ?? null,
      score: round(candidate.score),
      message_id: top.message_id,
      position: top.position,
      snippet: top.text,
      highlights: top.highlights,
      messages,
    });
  }
  const more = verified.length > offset + limit;
  return {
    hits,
    total: exact ? verified.length : Math.max(verified.length, offset + hits.length),
    total_exact: exact,
    cursor: more ? encodeSearchCursor(offset + limit) : null,
  };
}

interface PostingRow {
  c: string;
  p: string;
  t?: string;
  m?: string;
}

interface TermPostings {
  term: string;
  /** conversation → rows' filter fields and merged positions */
  byConversation: Map<string, { row: PostingRow; messages: Map<number, number> }>;
}

async function readTermPostings(ctx: StoreContext, userId: string, term: string): Promise<TermPostings> {
  const byConversation: TermPostings['byConversation'] = new Map();
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const output = await withThrottleRetry(ctx.backoff ?? defaultRetryBackoff, () =>
      ctx.clients.dynamo.send(
        new QueryCommand({
          TableName: ctx.resources.tables.Conversations,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': termPk(userId, term) },
          ProjectionExpression: 'c, p, t, m',
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    for (const row of (output.Items ?? []) as PostingRow[]) {
      const entry = byConversation.get(row.c);
      if (entry) decodePosting(row.p, entry.messages);
      else byConversation.set(row.c, { row, messages: decodePosting(row.p) });
    }
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return { term, byConversation };
}

/** Pure: the conversations holding every term in one message, ranked. Exported for tests and the bench. */
export function rankCandidates(postings: TermPostings[], keep: (row: PostingRow) => boolean): Candidate[] {
  const sorted = [...postings].sort((a, b) => a.byConversation.size - b.byConversation.size);
  const rarest = sorted[0];
  if (!rarest) return [];
  const weights = new Map(postings.map((entry) => [entry.term, Math.log(1 + 10_000 / Math.max(1, entry.byConversation.size))]));
  const candidates: Candidate[] = [];
  for (const [conversationId, first] of rarest.byConversation) {
    if (!keep(first.row)) continue;
    const perTerm = sorted.map((entry) => entry.byConversation.get(conversationId));
    if (perTerm.some((entry) => entry === undefined)) continue;
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
      if (all) messages.set(position, score);
    }
    if (messages.size > 0) candidates.push(rescored({ conversation_id: conversationId, messages, score: 0 }));
  }
  return candidates.sort((a, b) => b.score - a.score || (a.conversation_id < b.conversation_id ? -1 : 1));
}

/** A conversation ranks by its best message, a little more for each further matching one. */
function rescored(candidate: Candidate): Candidate {
  const scores = [...candidate.messages.values()];
  candidate.score = Math.max(...scores) + 0.2 * Math.log(scores.length);
  return candidate;
}

/** The messages at `positions`, read from the archive a page at a time, stopping after the last one needed. */
async function messagesAt(ctx: StoreContext, userId: string, conversationId: string, positions: Set<number>): Promise<Map<number, NormalizedMessage>> {
  const wanted = Math.max(...positions);
  const found = new Map<number, NormalizedMessage>();
  let cursor: string | undefined;
  do {
    const page = await listMessages(ctx, userId, conversationId, { limit: 1000, cursor });
    for (const message of page.items) if (positions.has(message.position)) found.set(message.position, message);
    if (page.items.some((message) => message.position >= wanted)) break;
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return found;
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
