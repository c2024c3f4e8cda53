// The deployed trigger of the layout migration: each import's Finalize moves its user's layout-1
// conversations to pages (migrateUserLayout.ts), under the user's lock and within the time the
// Lambda has left. On the real parts, with the local start-up migration off so the system runs
// as a deployed table does, on the layout-1 archive real code wrote (legacyLayoutFixture.ts),
// loaded for two users: only the importing one's conversations may change, and every thread
// must read the same before, during and after.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedConversation } from '@threadline/core/conversation/normalizedConversation';
import { layoutMarkerKey, userLayoutMarkerKey } from '@threadline/core/archive/archiveLayout';
import { migrateUserLayout, type UserLayoutMigrationBudget } from '@threadline/core/archive/migrateUserLayout';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { startLocalSystem } from '@threadline/local/app/localSystem';
import { generateExport } from '@threadline/generator/generateExport';
import { useIsolatedResources } from '../support/isolatedResources';
import { archivedConversations } from './support/archiveContents';
import { conversationsTableItems, itemsOfUser, legacyFixture, legacyFixtureFor, loadLegacyFixture } from './support/legacyLayoutFixture';
import { useTestSystem } from './support/testSystem';

const user = legacyFixture.user_id;
const otherUser = 'other-user';
const fixtureConversations = legacyFixture.items.filter((item) => item.sk === 'META').length;
const noWaitBackoff = { maxAttempts: 1, baseMs: 0, capMs: 0, sleep: async () => {}, random: () => 0 };
const ampleBudget: UserLayoutMigrationBudget = { timeLeftMs: () => 3_600_000, reserveMs: 0 };

/** A clock that runs out after `checks` looks at it: a deterministic budget. */
function budgetOfChecks(checks: number): UserLayoutMigrationBudget {
  let left = checks;
  return { timeLeftMs: () => left--, reserveMs: 0 };
}

async function loadBothUsers(ctx: StoreContext): Promise<void> {
  await loadLegacyFixture(ctx);
  await loadLegacyFixture(ctx, legacyFixtureFor(otherUser));
}

/** Every partition of the user is consistent: a layout-2 META has no MSG item left to mislead a reader. */
function layoutsOf(items: Record<string, any>[], userId: string): { current: number; legacy: number } {
  const ofUser = itemsOfUser(items, userId);
  const metas = ofUser.filter((item) => item.sk === 'META');
  for (const meta of metas.filter((item) => item.layout === 2)) {
    expect(ofUser.filter((item) => item.pk === meta.pk && String(item.sk).startsWith('MSG#'))).toEqual([]);
  }
  return { current: metas.filter((meta) => meta.layout === 2).length, legacy: metas.filter((meta) => meta.layout === undefined).length };
}

/** Fresh resources holding both users' layout-1 fixture, and what each reads before any migration. */
async function bothUsersLoaded(resourcesName: string) {
  const isolated = await useIsolatedResources(resourcesName);
  const ctx: StoreContext = { clients: isolated.clients, resources: isolated };
  await loadBothUsers(ctx);
  return { ctx, before: await archivedConversations(ctx, user), otherBefore: itemsOfUser(await conversationsTableItems(ctx), otherUser) };
}

async function markerOf(ctx: StoreContext, userId: string): Promise<Record<string, unknown> | undefined> {
  const output = await ctx.clients.dynamo.send(new GetCommand({ TableName: ctx.resources.tables.Conversations, Key: userLayoutMarkerKey(userId), ConsistentRead: true }));
  return output.Item;
}

describe('migrating one user (migrateUserLayout) on DynamoDB Local and s3rver', () => {
  it('stops cleanly when the budget runs out part-way, resumes from its marker, and leaves the other user untouched', async () => {
    const { ctx, before, otherBefore } = await bothUsersLoaded('user-migration');
    expect(before).toHaveLength(fixtureConversations);

    // Pages of 4 index entries: the budget runs out in the third page.
    const first = await migrateUserLayout(ctx, user, budgetOfChecks(12), { indexPageSize: 4 });
    expect(first).toMatchObject({ done: false, stopped_by_budget: true, failures: [] });
    expect(first.conversations_migrated).toBeGreaterThan(0);
    expect(first.conversations_migrated).toBeLessThan(fixtureConversations);
    const marker = await markerOf(ctx, user);
    expect(marker?.cursor).toBeDefined();
    expect(marker?.version).toBeUndefined();
    // Part-way, the archive is consistent and reads the same.
    const midway = await conversationsTableItems(ctx);
    expect(layoutsOf(midway, user)).toEqual({ current: first.conversations_migrated, legacy: fixtureConversations - first.conversations_migrated });
    expect(await archivedConversations(ctx, user)).toEqual(before);

    const second = await migrateUserLayout(ctx, user, ampleBudget, { indexPageSize: 4 });
    expect(second).toMatchObject({ done: true, stopped_by_budget: false, failures: [], conversations_migrated: fixtureConversations - first.conversations_migrated });
    expect(await archivedConversations(ctx, user)).toEqual(before);
    const after = await conversationsTableItems(ctx);
    expect(layoutsOf(after, user)).toEqual({ current: fixtureConversations, legacy: 0 });
    expect(itemsOfUser(after, user).filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
    expect(itemsOfUser(after, otherUser)).toEqual(otherBefore);
    expect(await markerOf(ctx, user)).toMatchObject({ version: 2 });
    // The whole-table marker is the local start-up migration's: a per-user pass never writes it.
    expect((await ctx.clients.dynamo.send(new GetCommand({ TableName: ctx.resources.tables.Conversations, Key: layoutMarkerKey }))).Item).toBeUndefined();

    // Done: the next run reads the markers and nothing else.
    expect(await migrateUserLayout(ctx, user, ampleBudget)).toMatchObject({ done: true, conversations_migrated: 0, items_deleted: 0 });
  });

  it('converges after crashes: before the META flip, and after it before the MSG items are deleted', async () => {
    const { ctx, before, otherBefore } = await bothUsersLoaded('user-migration-crash');

    let flips = 0;
    let msgDeletes = 0;
    const name = 'crash-some-steps';
    ctx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args: any) => {
        const requests = Object.values((args.input?.RequestItems ?? {}) as Record<string, any[]>).flat();
        const deletesMessages = requests.some((request) => String(request.DeleteRequest?.Key?.sk ?? '').startsWith('MSG#'));
        const command = context.commandName ?? '';
        if ((command === 'UpdateCommand' || command === 'UpdateItemCommand') && ++flips % 3 === 0) throw crash();
        if (command.startsWith('BatchWrite') && deletesMessages && ++msgDeletes === 2) throw crash();
        return next(args);
      },
      { step: 'initialize', name },
    );
    const first = await migrateUserLayout({ ...ctx, backoff: noWaitBackoff }, user, ampleBudget);
    ctx.clients.dynamo.middlewareStack.remove(name);
    expect(first.done).toBe(false);
    expect(first.failures.length).toBeGreaterThan(1);
    expect((await markerOf(ctx, user))?.version).toBeUndefined();
    // One conversation was flipped and then crashed: META in layout 2, its MSG items left over.
    const crashed = itemsOfUser(await conversationsTableItems(ctx), user);
    const flippedWithLeftovers = crashed.filter(
      (meta) => meta.sk === 'META' && meta.layout === 2 && crashed.some((item) => item.pk === meta.pk && String(item.sk).startsWith('MSG#')),
    );
    expect(flippedWithLeftovers).toHaveLength(1);
    expect(await archivedConversations(ctx, user)).toEqual(before);

    const second = await migrateUserLayout(ctx, user, ampleBudget);
    expect(second).toMatchObject({ done: true, failures: [] });
    // The flipped one is not counted by either run (its first crashed before counting it, the
    // second found it current and only deleted its leftovers).
    expect(first.conversations_migrated + second.conversations_migrated).toBe(fixtureConversations - 1);
    expect(second.items_deleted).toBeGreaterThan(0);
    expect(await archivedConversations(ctx, user)).toEqual(before);
    const after = await conversationsTableItems(ctx);
    expect(layoutsOf(after, user)).toEqual({ current: fixtureConversations, legacy: 0 });
    expect(itemsOfUser(after, user).filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
    expect(itemsOfUser(after, otherUser)).toEqual(otherBefore);

    // The walk itself failing (the index unreadable past the retries) stops with the reason, keeps
    // what it migrated before, and the next run finishes.
    const otherThreads = await archivedConversations(ctx, otherUser);
    let indexQueries = 0;
    ctx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args: any) => {
        if (String(context.commandName ?? '').startsWith('Query') && args.input?.IndexName && ++indexQueries === 2) throw crash();
        return next(args);
      },
      { step: 'initialize', name },
    );
    const broken = await migrateUserLayout({ ...ctx, backoff: noWaitBackoff }, otherUser, ampleBudget, { indexPageSize: 5 });
    ctx.clients.dynamo.middlewareStack.remove(name);
    expect(broken).toMatchObject({ done: false, stopped_by_error: 'InternalServerError: injected crash', conversations_migrated: 5 });
    expect(await archivedConversations(ctx, otherUser)).toEqual(otherThreads);
    const resumed = await migrateUserLayout(ctx, otherUser, ampleBudget, { indexPageSize: 5 });
    expect(resumed).toMatchObject({ done: true, stopped_by_error: null, conversations_migrated: fixtureConversations - 5 });
    expect(await archivedConversations(ctx, otherUser)).toEqual(otherThreads);
  });
});

function crash(): Error {
  const error = new Error('injected crash');
  error.name = 'InternalServerError';
  return error;
}

describe('an import migrates its user in Finalize (local system without the start-up migration)', () => {
  const context = useTestSystem('deployed-migration', { migrateLayoutAtStart: false });
  let exportPath: string;
  beforeAll(async () => {
    exportPath = join(context.workDir, 'small.zip');
    await generateExport({ conversations: 3, seed: 5, out: exportPath });
  });

  it('leaves every conversation of the importing user in layout 2 with identical threads, and no other user touched', async () => {
    const { system } = context;
    await loadBothUsers(system);
    const before = await archivedConversations(system, user);
    const otherBefore = itemsOfUser(await conversationsTableItems(system), otherUser);

    const job = await importExportFile(system, { filePath: exportPath, userId: user });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ conversations_created: 3, conversations_migrated: fixtureConversations });

    const imported = await archivedConversations(system, user);
    expect(imported).toHaveLength(fixtureConversations + 3);
    const ids = new Set(before.map((conversation) => conversation.conversation_id));
    expect(imported.filter((conversation) => ids.has(conversation.conversation_id))).toEqual(before);
    const items = await conversationsTableItems(system);
    expect(layoutsOf(items, user)).toEqual({ current: fixtureConversations + 3, legacy: 0 });
    expect(itemsOfUser(items, user).filter((item) => String(item.sk).startsWith('MSG#'))).toEqual([]);
    expect(itemsOfUser(items, otherUser)).toEqual(otherBefore);

    // The user is current: the next import migrates nothing.
    const again = await importExportFile(system, { filePath: exportPath, userId: user });
    expect(again.status).toBe('SUCCEEDED');
    expect(again.counts).toMatchObject({ conversations_unchanged: 3, conversations_migrated: 0 });
  });
});

describe('a Finalize whose budget is spent before the migration', () => {
  const workDir = { path: '' };
  beforeAll(async () => {
    workDir.path = await mkdtemp(join(tmpdir(), 'threadline-deployed-migration-'));
  });
  afterAll(() => rm(workDir.path, { recursive: true, force: true }));

  it('ends the import with the archive as it was, and the next import (with time to spare) migrates it', async () => {
    const dataDir = join(workDir.path, 'home');
    const exportPath = join(workDir.path, 'small.zip');
    await generateExport({ conversations: 3, seed: 5, out: exportPath });
    // Finalize keeps more than its Task's whole timeout for itself: no time for migrating.
    const first = await startLocalSystem({ dataDir, migrateLayoutAtStart: false, layoutMigrationReserveMs: 3_600_000, log: () => {} });
    let before: NormalizedConversation[] = [];
    try {
      await loadBothUsers(first);
      before = await archivedConversations(first, user);
      const job = await importExportFile(first, { filePath: exportPath, userId: user });
      expect(job.status).toBe('SUCCEEDED');
      expect(job.counts).toMatchObject({ conversations_created: 3, conversations_migrated: 0 });
      expect(layoutsOf(await conversationsTableItems(first), user)).toEqual({ current: 3, legacy: fixtureConversations });
      expect((await archivedConversations(first, user)).filter((c) => before.some((b) => b.conversation_id === c.conversation_id))).toEqual(before);
    } finally {
      await first.stop();
    }

    const second = await startLocalSystem({ dataDir, migrateLayoutAtStart: false, log: () => {} });
    try {
      const job = await importExportFile(second, { filePath: exportPath, userId: user });
      expect(job.status).toBe('SUCCEEDED');
      expect(job.counts).toMatchObject({ conversations_unchanged: 3, conversations_migrated: fixtureConversations });
      expect(layoutsOf(await conversationsTableItems(second), user)).toEqual({ current: fixtureConversations + 3, legacy: 0 });
      expect((await archivedConversations(second, user)).filter((c) => before.some((b) => b.conversation_id === c.conversation_id))).toEqual(before);
      expect(layoutsOf(await conversationsTableItems(second), otherUser)).toEqual({ current: 0, legacy: fixtureConversations });
    } finally {
      await second.stop();
    }
  }, 180_000);
});
