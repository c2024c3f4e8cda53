// Migrating an archive written by layout 1 (one MSG item per message) to message pages, on an
// archive that code really wrote: test/fixtures/legacyLayoutArchive.json.gz holds the items and
// offloaded objects of commit dc9eb72 after importing `generate --conversations 12 --seed 11`
// through the local system, plus two conversations written by its store directly (a 70-message
// thread, and a message too large for an item, offloaded to S3). The archive must read the same
// before, during and after the migration, and equal what `convert` makes of the same export.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedConversation } from '@threadline/core/conversation/normalizedConversation';
import { layoutMarkerKey } from '@threadline/core/archive/archiveLayout';
import { migrateArchiveLayout } from '@threadline/core/archive/migrateArchiveLayout';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { writeConversations } from '@threadline/core/archive/writeConversations';
import { countWriteCalls } from '@threadline/testkit/writeCallCounter';
import { startLocalSystem } from '@threadline/local/app/localSystem';
import { generateExport } from '@threadline/generator/generateExport';
import { buildConversation } from '../../packages/core/test/archive/conversationBuilder';
import { useIsolatedResources } from '../support/isolatedResources';
import { archivedConversations, convertedConversations } from './support/archiveContents';
import { conversationsTableItems, legacyFixture, loadLegacyFixture } from './support/legacyLayoutFixture';

const fixture = legacyFixture;
const userId = fixture.user_id;
const legacyMessageItems = fixture.items.filter((item) => String(item.sk).startsWith('MSG#')).length;

/** The two conversations the fixture's store wrote directly, rebuilt from the same specs. */
function directlyWritten(): NormalizedConversation[] {
  const big = Array.from({ length: 12000 }, (_, i) => `line ${i} of a very long pasted log\n`).join('');
  return [
    buildConversation({ id: 'big-message', messages: ['paste this', big, 'done'] }),
    buildConversation({ id: 'long-thread', messages: Array.from({ length: 70 }, (_, i) => `turn ${i}: ` + 'é'.repeat(i)) }),
  ];
}

const loadFixture = (ctx: StoreContext) => loadLegacyFixture(ctx);
const allItems = conversationsTableItems;

const workDir = await mkdtemp(join(tmpdir(), 'threadline-migration-'));
let expected: NormalizedConversation[];
beforeAll(async () => {
  const exportPath = join(workDir, 'export.zip');
  await generateExport({ conversations: 12, seed: 11, out: exportPath });
  const converted = await convertedConversations(exportPath, join(workDir, 'export.jsonl'));
  // The fixture's content hashes are format 1 (before convert's format 2): a migration keeps what
  // is stored, and the next import re-stamps them (test/store/contentHashFormat.test.ts).
  const storedHashes = new Map(fixture.items.filter((item) => item.sk === 'META').map((item) => [item.conversation_id as string, item.content_hash as string]));
  expected = [...converted, ...directlyWritten()]
    .map((conversation) => ({ ...conversation, content_hash: storedHashes.get(conversation.conversation_id) ?? conversation.content_hash }))
    .sort((a, b) => (a.conversation_id < b.conversation_id ? -1 : 1));
  expect(storedHashes.size).toBe(expected.length);
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

describe('migrating a layout-1 archive to message pages', () => {
  it('reads the same before and after, loses nothing, and leaves no MSG item', async () => {
    const isolated = await useIsolatedResources('migration');
    const ctx: StoreContext = { clients: isolated.clients, resources: isolated };
    await loadFixture(ctx);
    // Before: the layout-1 archive reads as the export converts (the readers know both layouts).
    expect(await archivedConversations(ctx, userId)).toEqual(expected);

    const result = await migrateArchiveLayout(ctx);
    expect(result).toEqual({
      already_current: false,
      conversations_migrated: expected.length,
      messages_migrated: expected.reduce((sum, conversation) => sum + conversation.messages.length, 0),
      items_deleted: legacyMessageItems,
      failures: [],
    });
    expect(await archivedConversations(ctx, userId)).toEqual(expected);

    const items = await allItems(ctx);
    expect(items.filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
    const metas = items.filter((item) => item.sk === 'META');
    expect(metas).toHaveLength(expected.length);
    expect(metas.every((meta) => meta.layout === 2)).toBe(true);
    expect(items.find((item) => item.pk === layoutMarkerKey.pk)).toMatchObject({ version: 2 });
    // The message layout 1 kept in S3 stays there, referenced from its page; nothing was re-put.
    const legacyRef = fixture.items.find((item) => item.text_ref) as { text_ref: { key: string } };
    const bigPage = items.find((item) => item.pk.endsWith('#CONV#big-message') && item.sk === 'PAGE#000000');
    expect(bigPage?.offloaded_keys).toEqual([legacyRef.text_ref.key]);
    expect(fixture.objects.map((object) => object.key)).toContain(legacyRef.text_ref.key);

    // Done once: the marker makes the next run skip the scan.
    expect(await migrateArchiveLayout(ctx)).toMatchObject({ already_current: true, conversations_migrated: 0 });

    // The migrated pages are the ones an import writes: re-importing the same versions writes no
    // message (the first time only re-stamps each META's format-1 content hash), then nothing at
    // all, and growing the 70-message thread by one rewrites only its last page.
    const restamped = await writeConversations(ctx, userId, 'imp-restamp', directlyWritten());
    expect(restamped.counts).toMatchObject({ conversations_updated: 2, messages_put: 0, messages_deleted: 0 });
    const counter = countWriteCalls(ctx.clients);
    try {
      const again = await writeConversations(ctx, userId, 'imp-again', directlyWritten());
      expect(again.counts).toMatchObject({ conversations_unchanged: 2 });
      expect(counter.total()).toBe(0);
    } finally {
      counter.stop();
    }
    const long = directlyWritten()[1];
    const grown = buildConversation({
      id: 'long-thread',
      update_time: '2024-06-01T00:00:00.000Z',
      messages: [...long.messages.map((message) => message.text), 'one more'],
    });
    const growth = await writeConversations(ctx, userId, 'imp-grow', [grown]);
    expect(growth.counts).toMatchObject({ conversations_updated: 1, messages_put: 1, messages_deleted: 0 });
  });

  it('is resumable: a migration that fails part-way leaves every conversation readable, and the next run finishes', async () => {
    const isolated = await useIsolatedResources('migration-crash');
    const ctx: StoreContext = { clients: isolated.clients, resources: isolated };
    await loadFixture(ctx);
    // Every fourth META flip fails, as a crash between the page writes and the flip would.
    let flips = 0;
    const name = 'fail-some-flips';
    ctx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args: any) => {
        if (context.commandName === 'UpdateItemCommand' && ++flips % 4 === 0) {
          const error = new Error('injected crash');
          error.name = 'InternalServerError';
          throw error;
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const first = await migrateArchiveLayout({ ...ctx, backoff: { maxAttempts: 1, baseMs: 0, capMs: 0, sleep: async () => {}, random: () => 0 } });
    ctx.clients.dynamo.middlewareStack.remove(name);
    expect(first.failures.length).toBeGreaterThan(0);
    expect(first.conversations_migrated + first.failures.length).toBe(expected.length);
    // Not done: no marker, and the half-migrated conversations still read from their MSG items.
    expect((await ctx.clients.dynamo.send(new GetCommand({ TableName: ctx.resources.tables.Conversations, Key: layoutMarkerKey }))).Item).toBeUndefined();
    expect(await archivedConversations(ctx, userId)).toEqual(expected);

    const second = await migrateArchiveLayout(ctx);
    expect(second).toMatchObject({ already_current: false, conversations_migrated: first.failures.length, failures: [] });
    expect(await archivedConversations(ctx, userId)).toEqual(expected);
    expect((await allItems(ctx)).filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
  });

  it('runs by itself when a local system starts on an archive of the earlier layout', async () => {
    const dataDir = join(workDir, 'home');
    // A persistent system on a data directory, given the layout-1 archive, then stopped.
    const first = await startLocalSystem({ dataDir });
    const ctx: StoreContext = { clients: first.clients, resources: first.resources };
    try {
      await loadFixture(ctx);
      await first.clients.dynamo.send(new DeleteCommand({ TableName: first.resources.tables.Conversations, Key: layoutMarkerKey }));
    } finally {
      await first.stop();
    }
    const second = await startLocalSystem({ dataDir });
    try {
      const migrated: StoreContext = { clients: second.clients, resources: second.resources };
      const items = await allItems(migrated);
      expect(items.filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
      expect(items.find((item) => item.pk === layoutMarkerKey.pk)).toMatchObject({ version: 2 });
      expect(await archivedConversations(migrated, userId)).toEqual(expected);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
