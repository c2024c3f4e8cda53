// What Finalize's layout migration costs (migrateUserLayout.ts): the layout-1 archive real code
// wrote (test/fixtures/legacyLayoutArchive.json.gz) loaded for many users, each migrated as its
// next import's Finalize would; beside the baseline, the same threads written fresh by the
// import's writer (writeConversations) under other users, in the same run on the same parts.
// Also what a Finalize of a user already migrated pays (its markers only).
import { parseArgs } from 'node:util';
import { migrateUserLayout } from '@threadline/core/archive/migrateUserLayout';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { writeConversations } from '@threadline/core/archive/writeConversations';
import { startLocalSystem } from '../src/app/localSystem';
import { archivedConversations } from '../../../test/e2e/support/archiveContents';
import { legacyFixtureFor, loadLegacyFixture } from '../../../test/e2e/support/legacyLayoutFixture';

const { values } = parseArgs({ options: { users: { type: 'string', default: '20' }, concurrency: { type: 'string' } } });
const users = Number(values.users);
const concurrency = values.concurrency ? { concurrency: Number(values.concurrency) } : {};
const system = await startLocalSystem({ inMemory: true, namePrefix: 'bench-migration', migrateLayoutAtStart: false, log: () => undefined });
try {
  const ctx: StoreContext = { clients: system.clients, resources: system.resources };
  const userIds = Array.from({ length: users }, (_, n) => `legacy-${n}`);
  for (const userId of userIds) await loadLegacyFixture(ctx, legacyFixtureFor(userId));
  const threads = await archivedConversations(ctx, userIds[0]!);
  const budget = { timeLeftMs: () => 300_000, reserveMs: 60_000 };

  let conversations = 0;
  let messages = 0;
  const migrationStarted = performance.now();
  for (const userId of userIds) {
    const result = await migrateUserLayout(ctx, userId, budget, concurrency);
    if (!result.done) throw new Error(`${userId} not migrated: ${JSON.stringify(result.failures)}`);
    conversations += result.conversations_migrated;
    messages += result.messages_migrated;
  }
  const migrationSeconds = (performance.now() - migrationStarted) / 1000;

  const writeStarted = performance.now();
  for (const [n] of userIds.entries()) await writeConversations(ctx, `fresh-${n}`, `bench-${n}`, threads);
  const freshWriteSeconds = (performance.now() - writeStarted) / 1000;

  const currentStarted = performance.now();
  for (const userId of userIds) await migrateUserLayout(ctx, userId, budget);
  const currentSeconds = (performance.now() - currentStarted) / 1000;

  console.log(JSON.stringify({ users, conversations, messages, migrationSeconds, freshWriteSeconds, currentUserMs: (currentSeconds * 1000) / users }));
} finally {
  await system.stop();
}
