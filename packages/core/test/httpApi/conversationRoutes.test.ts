import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/httpApi/apiTypes';
import { routeRequest } from '../../src/httpApi/routeTable';
import { writeConversations } from '../../src/archive/writeConversations';
import { buildConversation } from '../archive/conversationBuilder';
import { apiRequest, createApiTestContext } from './apiTestContext';

let ctx: ApiContext;
const user = 'reader';

beforeAll(async () => {
  ctx = await createApiTestContext('api-conversations');
  const conversations = Array.from({ length: 25 }, (_, index) =>
    buildConversation({
      id: `conv-${String(index).padStart(2, '0')}`,
      title: index % 5 === 0 ? `Rust lifetimes ${index}` : `Cooking ${index}`,
      create_time: new Date(Date.UTC(2024, index % 12, 1 + index)).toISOString(),
      messages: Array.from({ length: 3 + (index % 4) }, (_, m) => `message ${m} of ${index}`),
    }),
  );
  // One conversation whose text is far too large for an item: the store offloads it to S3.
  conversations.push(
    buildConversation({ id: 'conv-big', title: 'Big one', create_time: '2025-06-01T00:00:00.000Z', messages: ['q', 'x'.repeat(500_000)] }),
  );
  const result = await writeConversations({ clients: ctx.clients, resources: ctx.resources }, user, 'imp-1', conversations);
  expect(result.failures).toEqual([]);
});

type Listing = { items: { conversation_id: string; title: string; create_time: string }[]; cursor: string | null; scanned: number };

describe('GET /conversations', () => {
  it('lists newest first and pages with a cursor', async () => {
    const seen: Listing['items'] = [];
    let cursor: string | null = null;
    do {
      const response = await routeRequest(ctx, apiRequest('GET', `/conversations?limit=10${cursor ? `&cursor=${cursor}` : ''}`, { userId: user }));
      expect(response.statusCode).toBe(200);
      const page = response.body as Listing;
      seen.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toHaveLength(26);
    expect(seen[0]!.conversation_id).toBe('conv-big');
    const times = seen.map((c) => c.create_time);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('searches titles server-side, case-insensitively', async () => {
    const response = await routeRequest(ctx, apiRequest('GET', '/conversations?q=RUST', { userId: user }));
    const page = response.body as Listing;
    expect(page.items.map((c) => c.title).sort()).toEqual(['Rust lifetimes 0', 'Rust lifetimes 10', 'Rust lifetimes 15', 'Rust lifetimes 20', 'Rust lifetimes 5']);
    expect(page.scanned).toBe(26);
  });

  it('another user sees none of them', async () => {
    const response = await routeRequest(ctx, apiRequest('GET', '/conversations', { userId: 'stranger' }));
    expect((response.body as Listing).items).toEqual([]);
    expect((await routeRequest(ctx, apiRequest('GET', '/conversations/conv-01', { userId: 'stranger' }))).statusCode).toBe(404);
  });

  it('rejects a cursor from another listing', async () => {
    const first = (await routeRequest(ctx, apiRequest('GET', '/conversations?limit=2', { userId: user }))).body as Listing;
    const response = await routeRequest(ctx, apiRequest('GET', `/conversations?cursor=${first.cursor}`, { userId: 'stranger' }));
    expect(response).toEqual({ statusCode: 400, body: { error: 'invalid cursor' } });
  });
});

describe('one conversation', () => {
  it('comes with its transcript, and messages in thread order, paged', async () => {
    const conversation = await routeRequest(ctx, apiRequest('GET', '/conversations/conv-03', { userId: user }));
    expect(conversation.statusCode).toBe(200);
    expect(conversation.body).toMatchObject({ conversation_id: 'conv-03', title: 'Cooking 3', message_count: 6 });
    expect((conversation.body as { transcript: string }).transcript).toContain('message 5 of 3');

    const first = await routeRequest(ctx, apiRequest('GET', '/conversations/conv-03/messages?limit=4', { userId: user }));
    const page = first.body as { items: { position: number; text: string }[]; cursor: string };
    expect(page.items.map((m) => m.position)).toEqual([0, 1, 2, 3]);
    const rest = await routeRequest(ctx, apiRequest('GET', `/conversations/conv-03/messages?limit=4&cursor=${page.cursor}`, { userId: user }));
    expect((rest.body as typeof page).items.map((m) => m.text)).toEqual(['message 4 of 3', 'message 5 of 3']);
  });

  it('offloaded texts come back like any other', async () => {
    const messages = await routeRequest(ctx, apiRequest('GET', '/conversations/conv-big/messages', { userId: user }));
    expect((messages.body as { items: { text: string }[] }).items[1]!.text).toHaveLength(500_000);
  });

  it('ids with URL-encoded characters reach the store decoded; unknown ones are 404', async () => {
    expect((await routeRequest(ctx, apiRequest('GET', '/conversations/conv%2D03', { userId: user }))).statusCode).toBe(200);
    expect((await routeRequest(ctx, apiRequest('GET', '/conversations/nope/messages', { userId: user }))).statusCode).toBe(404);
    expect((await routeRequest(ctx, apiRequest('GET', '/conversations/%E0%A4%A', { userId: user }))).statusCode).toBe(400);
  });

  it('DELETE removes it; a second DELETE is 404', async () => {
    const deleted = await routeRequest(ctx, apiRequest('DELETE', '/conversations/conv-07', { userId: user }));
    expect(deleted).toMatchObject({ statusCode: 200, body: { deleted: 'conv-07' } });
    expect((await routeRequest(ctx, apiRequest('GET', '/conversations/conv-07', { userId: user }))).statusCode).toBe(404);
    expect((await routeRequest(ctx, apiRequest('DELETE', '/conversations/conv-07', { userId: user }))).statusCode).toBe(404);
  });
});

describe('GET /activity', () => {
  it('counts conversations and messages per month', async () => {
    const response = await routeRequest(ctx, apiRequest('GET', '/activity', { userId: user }));
    const body = response.body as { months: { month: string; conversations: number; messages: number }[]; truncated: boolean };
    expect(body.truncated).toBe(false);
    expect(body.months.find((m) => m.month === '2025-06')).toEqual({ month: '2025-06', conversations: 1, messages: 2 });
    expect(body.months.map((m) => m.month)).toEqual([...body.months.map((m) => m.month)].sort());
  });
});
