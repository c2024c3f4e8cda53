// Full-text search on the real parts (DynamoDB Local, s3rver): conversations go through the
// import's own steps (split → processChunk → finalize), queries through the HTTP API's routes,
// and every answer is held against a brute-force scan of the normalized messages.

import { gzipSync } from 'node:zlib';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/httpApi/apiTypes';
import { routeRequest } from '../../src/httpApi/routeTable';
import { normalizeConversation } from '@threadline/core/conversation/normalizeConversation';
import type { NormalizedConversation } from '@threadline/core/conversation/normalizedConversation';
import { chainNodes, conversation, message, node } from '@threadline/core/conversation/rawConversationBuilder.fixture';
import type { RawConversation } from '@threadline/core/conversation/rawExport';
import { acquireLock } from '../../src/importWorkflow/steps/acquireLock';
import { finalizeImport } from '../../src/importWorkflow/steps/finalizeImport';
import { storeContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import { processChunk } from '../../src/importWorkflow/steps/processChunk';
import { splitArchive } from '../../src/importWorkflow/steps/splitArchive';
import { indexConversations } from '@threadline/core/search/indexConversations';
import { reindexUser } from '@threadline/core/search/reindexUser';
import { removeFromSearchIndex } from '@threadline/core/search/removeFromSearchIndex';
import { SEARCH_SHARDS, shardPk, smallSegmentsPk } from '@threadline/core/search/searchIndexKeys';
import { decodeSegmentItem, SEGMENT_FORMAT, type SegmentItem } from '@threadline/core/search/searchSegment';
import type { SearchHit, SearchResult } from '@threadline/core/search/searchArchive';
import { SearchCache } from '@threadline/core/search/searchCache';
import { writeConversations } from '../../src/archive/writeConversations';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { importContextOf, manifestLines, rawConversations, uploadExport, writeMapResults } from '../importWorkflow/importTestKit';

let ctx: ImportContext;
let api: ApiContext;

beforeAll(async () => {
  const resources = await useIsolatedResources('search-index');
  ctx = importContextOf(resources);
  api = { clients: resources.clients, resources: ctx.resources, workflowArn: () => null, region: 'us-east-1' };
});

async function runImport(userId: string, raw: RawConversation[] | Record<string, unknown>[], mirror = false, context: ImportContext = ctx) {
  const input = await uploadExport(context, Buffer.from(JSON.stringify(raw)), { extension: 'json', userId, mirror });
  await acquireLock(context, input);
  const split = await splitArchive(context, input, { chunkLimits: { maxConversations: 5, maxBytes: 16 * 1024 * 1024 } });
  const lines = await manifestLines(context, input.importId);
  for (const line of lines) await processChunk(context, { importId: input.importId, userId, chunkIndex: line.chunk, chunk: line });
  const processed = await writeMapResults(context, input.importId, { succeeded: lines, failed: [] });
  return finalizeImport(context, { ...input, split, processed });
}

async function search(userId: string, params: Record<string, string>): Promise<{ statusCode: number; body: SearchResult & { error?: string } }> {
  const response = await routeRequest(api, { method: 'GET', path: '/search', query: params, body: null, user: { userId, local: true } });
  return response as { statusCode: number; body: SearchResult & { error?: string } };
}

/** Every hit of a query, all pages. */
async function allHits(userId: string, q: string, extra: Record<string, string> = {}): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  let cursor: string | null = null;
  do {
    const response = await search(userId, { q, limit: '7', ...extra, ...(cursor ? { cursor } : {}) });
    expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
    hits.push(...response.body.hits);
    cursor = response.body.cursor;
  } while (cursor);
  return hits;
}

// --- the brute force: independent of the index's tokenizer ---------------------------------

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function brutePattern(phrase: string): RegExp {
  const words = fold(phrase).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const body = words.map(escape).join('[^\\p{L}\\p{N}]+');
  // CJK has no word boundaries: a substring is a match.
  return cjk.test(phrase) ? new RegExp(body, 'u') : new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

function bruteMatches(conversations: NormalizedConversation[], q: string): Map<string, Set<string>> {
  const phrases = [...q.matchAll(/"([^"]*)"|(\S+)/gu)].map((m) => m[1] ?? m[2]!);
  const patterns = phrases.map(brutePattern);
  const found = new Map<string, Set<string>>();
  for (const conv of conversations) {
    const ids = conv.messages.filter((m) => patterns.every((pattern) => pattern.test(fold(m.text)))).map((m) => m.id);
    if (ids.length > 0) found.set(conv.conversation_id, new Set(ids));
  }
  return found;
}

// --- the corpus ---------------------------------------------------------------------------

const at = (day: number) => 1_704_067_200 + day * 86_400; // 2024-01-01 + day

function written(id: string, texts: string[], fields: Partial<RawConversation> = {}): RawConversation {
  return conversation(chainNodes(texts, `${id}-root`), { id, conversation_id: id, title: `Title of ${id}`, create_time: at(0), update_time: at(1), ...fields });
}

/** An edited turn: the abandoned branch says "obsidian", the canonical one "basalt". */
function branched(): RawConversation {
  const nodes = [
    node('b-root', null),
    node('b-u', 'b-root', message('b-u', 'user', 'Tell me about volcanic rock')),
    node('b-old', 'b-u', message('b-old', 'assistant', 'Obsidian is volcanic glass')),
    node('b-new', 'b-u', message('b-new', 'assistant', 'Basalt is the most common volcanic rock')),
  ];
  return conversation(nodes, { id: 'branched', conversation_id: 'branched', title: 'Rocks', current_node: 'b-new', create_time: at(40), update_time: at(41), default_model_slug: 'gpt-4o' });
}

function corpus(): RawConversation[] {
  return [
    written('iceland', ['Plan the Iceland trip for June', 'The trip plan: Reykjavík, then the Golden Circle', 'Pack a warm jacket']),
    written('reverse', ['We plan a trip, then we trip on the plan', 'Iceland later maybe'], { create_time: at(10), update_time: at(11) }),
    branched(),
    written('cjk', ['東京タワーに行きました', '数据库的设计很重要', '한국어 공부를 합니다', '日本語のテキストです'], { create_time: at(100), update_time: at(101) }),
    written('accents', ['A NAÏVE résumé on the façade', 'Café in Zürich, naive approach'], { create_time: at(200), update_time: at(201), default_model_slug: 'o3' }),
    ...(rawConversations(12, 23) as unknown as RawConversation[]),
  ];
}

function normalized(raw: RawConversation[]): NormalizedConversation[] {
  return raw.map((c, index) => {
    const result = normalizeConversation(c, index);
    if (!result.ok) throw new Error(result.failure.reason);
    return result.conversation;
  });
}

// Every test runs twice: as a cold process answers (every query reads all it needs) and as a warm
// one (the API Lambda's or local server's SearchCache, one for the whole run): edits, deletes,
// reindexing and a crash in between must never let a cached item or message answer wrongly.
describe.each([
  { process: 'a cold process', suffix: '', cache: false },
  { process: 'a warm process (SearchCache)', suffix: '-warm', cache: true },
])('search in $process', ({ suffix, cache }) => {
  beforeAll(() => {
    api = { ...api, searchCache: cache ? new SearchCache() : undefined };
  });

  const userA = `search-a${suffix}`;
  const userB = `search-b${suffix}`;

  describe('search over the archive', () => {
    let archive: NormalizedConversation[];

    beforeAll(async () => {
      const raw = corpus();
      archive = normalized(raw);
      expect((await runImport(userA, raw)).status).toBe('SUCCEEDED');
      expect((await runImport(userB, [written('b-only', ['Iceland glaciers and the Iceland trip of user b'])])).status).toBe('SUCCEEDED');
      // The import's segments of this corpus are small (one item each); indexed again as per-shard
      // items, every query below reads the shard partitions — and the tombstones of the first ones.
      const again = await indexConversations(storeContextOf(ctx), userA, archive, { force: true, segmentLimits: { text: 1_200_000, gzipped: 300_000, small: 0 } });
      expect(again).toMatchObject({ conversations_indexed: archive.length, tombstones: archive.length });
    });

    const queries = [
      'iceland',
      'ICELAND trip',
      '"trip plan"',
      '"plan trip"',
      'plan trip',
      'basalt',
      'obsidian',
      '東京',
      'タワー',
      '東京タワー',
      '数据',
      '한국어',
      'テキスト',
      'cafe',
      'zurich',
      'NAIVE',
      'résumé façade',
      'deploy',
      'cluster latency',
      '"the model"',
    ];

    it.each(queries)('finds exactly what a brute-force scan finds: %s', async (q) => {
      const expected = bruteMatches(archive, q);
      const hits = await allHits(userA, q);
      expect(new Set(hits.map((hit) => hit.conversation_id))).toEqual(new Set(expected.keys()));
      expect(hits.length).toBe(expected.size); // one hit per conversation
      for (const hit of hits) {
        const matching = expected.get(hit.conversation_id)!;
        expect(matching.has(hit.message_id)).toBe(true);
        for (const best of hit.messages) expect(matching.has(best.message_id)).toBe(true);
        expect(hit.highlights.length).toBeGreaterThan(0);
      }
      // Ranked best first.
      const scores = hits.map((hit) => hit.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('holds both kinds of segment: per-shard items and whole small ones', async () => {
      const count = async (pk: string) => (await ctx.clients.dynamo.send(new QueryCommand({ TableName: ctx.resources.tables.Conversations, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Select: 'COUNT' }))).Count ?? 0;
      let perShard = 0;
      for (let shard = 0; shard < SEARCH_SHARDS; shard += 1) perShard += await count(shardPk(userA, shard));
      expect(perShard).toBeGreaterThan(0);
      expect(await count(smallSegmentsPk(userB))).toBe(1);
    });

    it('words in an abandoned branch do not match; the canonical branch does', async () => {
      expect(await allHits(userA, 'obsidian')).toEqual([]);
      expect((await allHits(userA, 'basalt')).map((hit) => hit.message_id)).toEqual(['b-new']);
    });

    it('highlights the matched words in the snippet, and a two-character CJK word', async () => {
      const [hit] = await allHits(userA, 'golden circle');
      expect(hit!.snippet).toContain('Golden Circle');
      expect(hit!.highlights.map(([start, end]) => hit!.snippet.slice(start, end))).toEqual(['Golden', 'Circle']);
      const [tokyo] = await allHits(userA, '東京');
      expect(tokyo!.highlights.map(([start, end]) => tokyo!.snippet.slice(start, end))).toEqual(['東京']);
      const accent = (await allHits(userA, 'naive')).find((hit) => hit.conversation_id === 'accents');
      expect(accent!.highlights.map(([start, end]) => accent!.snippet.slice(start, end))).toContain('NAÏVE');
    });

    it('filters by date range and model, and pages without repeating', async () => {
      expect((await allHits(userA, 'volcanic', { model: 'gpt-4o' })).map((hit) => hit.conversation_id)).toEqual(['branched']);
      expect(await allHits(userA, 'volcanic', { model: 'o3' })).toEqual([]);
      expect((await allHits(userA, 'iceland', { from: '2024-01-05' })).map((hit) => hit.conversation_id)).toEqual(['reverse']);
      expect((await allHits(userA, 'iceland', { to: '2024-01-05' })).map((hit) => hit.conversation_id)).toEqual(['iceland']);
      const all = await allHits(userA, 'the');
      expect(new Set(all.map((hit) => hit.conversation_id)).size).toBe(all.length);
      expect(all.length).toBe(bruteMatches(archive, 'the').size);
    });

    it("never returns another user's conversation", async () => {
      expect((await allHits(userA, 'glaciers'))).toEqual([]);
      expect((await allHits(userB, 'iceland')).map((hit) => hit.conversation_id)).toEqual(['b-only']);
      expect((await allHits(userA, 'iceland')).map((hit) => hit.conversation_id).sort()).toEqual(['iceland', 'reverse']);
    });

    it.each([
      ['empty', { q: '' }, /empty/],
      ['blank', { q: '   ' }, /empty/],
      ['2,000 characters', { q: 'a'.repeat(2000) }, /at most 500/],
      ['only punctuation', { q: '?!… ---' }, /no words/],
      ['an unbalanced quote', { q: '"trip plan' }, /not closed/],
      ['a bad limit', { q: 'trip', limit: '0' }, /limit/],
      ['a bad cursor', { q: 'trip', cursor: 'bm90LWpzb24' }, /cursor/],
      ['a bad date', { q: 'trip', from: '2024-13-40' }, /YYYY-MM-DD/],
    ])('answers a bad query (%s) with a clear 400', async (_name, params, message) => {
      const response = await search(userA, params);
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toMatch(message);
    });
  });

  describe('the index follows the archive', () => {
    const user = `search-follow${suffix}`;

    it('an edit drops the old words and finds the new; an unchanged re-import does no index writes', async () => {
      const first = [written('trip', ['Iceland in June', 'Glacier hike']), written('other', ['Nothing to see'])];
      await runImport(user, first);
      expect((await allHits(user, 'iceland')).map((hit) => hit.conversation_id)).toEqual(['trip']);

      const indexWrites = countIndexWrites(ctx);
      await runImport(user, first);
      expect(indexWrites.count).toBe(0);
      indexWrites.stop();

      const edited = [written('trip', ['Norway in June', 'Fjord cruise'], { update_time: at(5) }), written('other', ['Nothing to see'])];
      await runImport(user, edited);
      expect(await allHits(user, 'iceland')).toEqual([]);
      expect(await allHits(user, 'glacier')).toEqual([]);
      expect((await allHits(user, 'norway fjord')).length).toBe(0); // not in one message
      expect((await allHits(user, 'fjord')).map((hit) => hit.conversation_id)).toEqual(['trip']);
    });

    it('a deleted conversation (API delete, mirror import) is gone from search', async () => {
      const response = await routeRequest(api, { method: 'DELETE', path: '/conversations/trip', query: {}, body: null, user: { userId: user, local: true } });
      expect(response.statusCode).toBe(200);
      expect(await allHits(user, 'fjord')).toEqual([]);

      await runImport(user, [written('kept', ['Kept words'])], true);
      expect(await allHits(user, 'nothing')).toEqual([]);
      expect((await allHits(user, 'kept')).map((hit) => hit.conversation_id)).toEqual(['kept']);
    });

    it('reindex rebuilds the index from the archive and drops what the archive lacks', async () => {
      const store = storeContextOf(ctx);
      await removeFromSearchIndex(store, user, 'kept');
      expect(await allHits(user, 'kept')).toEqual([]);
      await indexConversations(store, user, [
        { conversation_id: 'ghost', title: 'Ghost', content_hash: 'x', create_time: null, model: null, messages: [{ ...normalized([written('ghost', ['Ghost words'])])[0]!.messages[0]! }] },
      ]);
      const result = await reindexUser(store, user);
      expect(result).toMatchObject({ conversations_indexed: 1 });
      expect(result.items_deleted).toBeGreaterThan(0);
      expect((await allHits(user, 'kept')).map((hit) => hit.conversation_id)).toEqual(['kept']);
      expect(await allHits(user, 'ghost')).toEqual([]);
    });
  });

  describe('an index written before ordinals were stored (segment format 1)', () => {
    const user = `search-format-1${suffix}`;
    let archive: NormalizedConversation[];

    /** Rewrites every segment item of the user as the first version wrote it: `<pos>.<count>`, no `v`. */
    async function toFirstFormat(): Promise<number> {
      let rewritten = 0;
      for (const pk of [smallSegmentsPk(user), ...Array.from({ length: SEARCH_SHARDS }, (_, shard) => shardPk(user, shard))]) {
        const { Items = [] } = await ctx.clients.dynamo.send(new QueryCommand({ TableName: ctx.resources.tables.Conversations, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
        for (const { v, ...item } of Items) {
          expect(v).toBe(SEGMENT_FORMAT);
          // The first format: the table as list attributes, `p` only the lines, counts for ordinals.
          const { c, n, t, m, text } = decodeSegmentItem({ ...item, v } as SegmentItem);
          const counts = text.replace(/(\d+)\.([\d.]+)(?=[,;\n])/g, (_all, position: string, ordinals: string) => `${position}.${ordinals.split('.').length}`);
          await ctx.clients.dynamo.send(new PutCommand({ TableName: ctx.resources.tables.Conversations, Item: { pk: item.pk, sk: item.sk, c, n, t, m, p: gzipSync(counts) } }));
          rewritten += 1;
        }
      }
      return rewritten;
    }

    beforeAll(async () => {
      const raw = corpus();
      archive = normalized(raw);
      expect((await runImport(user, raw)).status).toBe('SUCCEEDED');
      expect(await toFirstFormat()).toBeGreaterThan(0);
    });

    it.each(['"trip plan"', '"plan trip"', '東京タワー', '数据', 'iceland trip', '"the model"', 'deploy'])('still answers exactly (phrases checked on the text): %s', async (q) => {
      const hits = await allHits(user, q);
      expect(new Set(hits.map((hit) => hit.conversation_id))).toEqual(new Set(bruteMatches(archive, q).keys()));
      for (const hit of hits) expect(bruteMatches(archive, q).get(hit.conversation_id)!.has(hit.message_id)).toBe(true);
    });

    it('answers a mix of both formats, and reindex brings it all to the current one', async () => {
      const added = normalized([written('fresh', ['A new trip plan for Iceland'])]);
      await writeConversations(storeContextOf(ctx), user, 'import-fresh', added);
      await indexConversations(storeContextOf(ctx), user, added);
      const everything = [...archive, ...added];
      expect(new Set((await allHits(user, '"trip plan"')).map((hit) => hit.conversation_id))).toEqual(new Set(bruteMatches(everything, '"trip plan"').keys()));
      const first = await search(user, { q: '"trip plan"' });
      expect(first.body.total_exact).toBe(true);

      await reindexUser(storeContextOf(ctx), user);
      const formats: unknown[] = [];
      for (const pk of [smallSegmentsPk(user), ...Array.from({ length: SEARCH_SHARDS }, (_, shard) => shardPk(user, shard))]) {
        const { Items = [] } = await ctx.clients.dynamo.send(new QueryCommand({ TableName: ctx.resources.tables.Conversations, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
        formats.push(...Items.map((item) => item.v));
      }
      expect(formats.length).toBeGreaterThan(0);
      expect(new Set(formats)).toEqual(new Set([SEGMENT_FORMAT]));
      expect(new Set((await allHits(user, '"trip plan"')).map((hit) => hit.conversation_id))).toEqual(new Set(bruteMatches(everything, '"trip plan"').keys()));
    });
  });

  describe('a crash while indexing', () => {
    const user = `search-crash${suffix}`;

    it('converges: words of the version whose indexing crashed never outlive the next indexing', async () => {
      const store = storeContextOf(ctx);
      const version = (text: string, minute: number) => normalized([written('x', [text], { update_time: at(minute) })]);
      const write = async (conversations: NormalizedConversation[]) => {
        await writeConversations(store, user, `import-${conversations[0]!.content_hash}`, conversations);
        return indexConversations(store, user, conversations);
      };
      await write(version('alpha words', 1));
      expect((await allHits(user, 'alpha')).length).toBe(1);

      // The commit (the final DOC write) fails: the new segment is written, nothing says it is live.
      const name = 'failIndexCommit';
      ctx.clients.dynamo.middlewareStack.add(
        (next) => async (args) => {
          const input = JSON.stringify(args.input);
          if (input.includes('#SEARCH"') && input.includes('"segment"') && !input.includes('"pending"')) throw new Error('crash before the index commit');
          return next(args);
        },
        { step: 'initialize', name },
      );
      await expect(write(version('beta words', 2))).rejects.toThrow(/crash before the index commit/);
      ctx.clients.dynamo.middlewareStack.remove(name);

      // The next version is indexed: neither older version's words are found, only its own.
      await write(version('gamma words', 3));
      expect(await allHits(user, 'alpha')).toEqual([]);
      expect(await allHits(user, 'beta')).toEqual([]);
      expect((await allHits(user, 'gamma')).map((hit) => hit.conversation_id)).toEqual(['x']);
    });
  });
});

describe('an import told not to index (what the bench compares against)', () => {
  it('writes the archive and no index item; reindex then makes it searchable', async () => {
    const user = 'search-unindexed';
    const writes = countIndexWrites(ctx);
    expect((await runImport(user, corpus(), false, { ...ctx, indexForSearch: false })).status).toBe('SUCCEEDED');
    writes.stop();
    expect(writes.count).toBe(0);
    expect(await allHits(user, 'iceland')).toEqual([]);
    await reindexUser(storeContextOf(ctx), user);
    expect((await allHits(user, 'iceland')).map((hit) => hit.conversation_id).sort()).toEqual(['iceland', 'reverse']);
  });
});

describe('a warm process', () => {
  it("answers a repeated query without reading its segment items or messages again", async () => {
    const user = 'search-warm-reads';
    expect((await runImport(user, corpus())).status).toBe('SUCCEEDED');
    const warm: ApiContext = { ...api, searchCache: new SearchCache() };
    const ask = async () => (await routeRequest(warm, { method: 'GET', path: '/search', query: { q: 'iceland trip' }, body: null, user: { userId: user, local: true } })).body as SearchResult;

    const reads = countBodyReads(ctx);
    const first = await ask();
    const cold = reads.count;
    const second = await ask();
    reads.stop();
    expect(first.hits.length).toBeGreaterThan(0);
    expect(cold).toBeGreaterThan(0);
    expect(reads.count - cold).toBe(0);
    expect(second).toEqual(first);
  });
});

/** Counts reads of segment item bodies (their postings `p`) and of message pages. */
function countBodyReads(context: ImportContext): { count: number; stop(): void } {
  const counter = { count: 0, stop: () => context.clients.dynamo.middlewareStack.remove('countBodyReads') };
  context.clients.dynamo.middlewareStack.add(
    (next, info) => async (args) => {
      const name = (info as { commandName?: string }).commandName ?? '';
      const input = JSON.stringify(args.input);
      const readsPostings = /Query|BatchGet/.test(name) && /#SHARD#/.test(input) && /"p"|, p,/.test(input);
      const readsPages = /BatchGet|Query/.test(name) && /PAGE#|MSG#/.test(input);
      if (readsPostings || readsPages) counter.count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countBodyReads' },
  );
  return counter;
}

/** Counts DynamoDB writes that touch the search index's keys (SHARD segments, SEARCH DOCs and tombstones). */
function countIndexWrites(context: ImportContext): { count: number; stop(): void } {
  const counter = { count: 0, stop: () => context.clients.dynamo.middlewareStack.remove('countIndexWrites') };
  context.clients.dynamo.middlewareStack.add(
    (next, info) => async (args) => {
      const name = (info as { commandName?: string }).commandName ?? '';
      if (/Put|Update|Delete|BatchWrite|TransactWrite/.test(name) && /#SHARD#|#SEARCH/.test(JSON.stringify(args.input))) counter.count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countIndexWrites' },
  );
  return counter;
}
