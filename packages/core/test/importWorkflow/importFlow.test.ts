import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/importWorkflow/steps/acquireLock';
import { finalizeImport } from '../../src/importWorkflow/steps/finalizeImport';
import { jobContextOf, storeContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import type { ImportExecutionInput } from '../../src/importWorkflow/importWorkflowState';
import { markImportFailed } from '../../src/importWorkflow/steps/markImportFailed';
import { processChunk } from '../../src/importWorkflow/steps/processChunk';
import { readJsonObject } from '../../src/importWorkflow/steps/s3JsonObjects';
import { splitArchive } from '../../src/importWorkflow/steps/splitArchive';
import { readFailureReport } from '../../src/importWorkflow/job/failureReport';
import { readImportLock, releaseImportLock } from '../../src/importWorkflow/job/importLock';
import { getJob } from '../../src/importWorkflow/job/jobRepository';
import { listConversations } from '../../src/archive/listConversations';
import { objectKeys } from '../../src/archive/objectKeys';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { conversationsTableItems, itemsOfUser, legacyFixture, loadLegacyFixture } from '../../../../test/e2e/support/legacyLayoutFixture';
import { importContextOf, manifestLines, rawConversations, uploadExport, writeMapResults } from './importTestKit';

let ctx: ImportContext;

beforeAll(async () => {
  ctx = importContextOf(await useIsolatedResources('import-flow'));
});

const smallChunks = { chunkLimits: { maxConversations: 4, maxBytes: 16 * 1024 * 1024 } };

async function workKeys(importId: string): Promise<string[]> {
  const page = await ctx.clients.s3.send(new ListObjectsCommand({ Bucket: ctx.resources.bucket, Prefix: `work/${importId}/` }));
  return (page.Contents ?? []).map((object) => object.Key!);
}

async function storedIds(userId: string): Promise<string[]> {
  const page = await listConversations(storeContextOf(ctx), userId, { limit: 200 });
  return page.items.map((item) => item.conversation_id).sort();
}

/** AcquireLock → Split → every chunk → Map results; returns what Finalize would receive. */
async function runUntilFinalize(input: ImportExecutionInput, failChunks: number[] = []) {
  await acquireLock(ctx, input);
  const split = await splitArchive(ctx, input, smallChunks);
  const lines = await manifestLines(ctx, input.importId);
  for (const line of lines) {
    if (failChunks.includes(line.chunk)) continue;
    await processChunk(ctx, { importId: input.importId, userId: input.userId, chunkIndex: line.chunk, chunk: line });
  }
  const processed = await writeMapResults(ctx, input.importId, {
    succeeded: lines.filter((line) => !failChunks.includes(line.chunk)),
    failed: lines
      .filter((line) => failChunks.includes(line.chunk))
      .map((line) => ({ line, error: 'States.Timeout', cause: JSON.stringify({ errorMessage: 'Task timed out after 300 seconds' }) })),
  });
  return { ...input, split, processed, lines };
}

describe('processChunk', () => {
  it('writes the conversations and adds the counters once, however often the chunk runs', async () => {
    const raw = rawConversations(6, 31);
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json' });
    await acquireLock(ctx, input);
    await splitArchive(ctx, input, smallChunks);
    const [first] = await manifestLines(ctx, input.importId);
    const event = { importId: input.importId, userId: input.userId, chunkIndex: 0, chunk: first! };

    expect(await processChunk(ctx, event)).toEqual({ chunk: 0, conversations: 4, failed: 0, recorded: 'recorded' });
    expect(await processChunk(ctx, event)).toEqual({ chunk: 0, conversations: 4, failed: 0, recorded: 'duplicate' });

    const job = await getJob(jobContextOf(ctx), input);
    expect(job!.chunks_done).toBe(1);
    expect(job!.counts).toMatchObject({ conversations_total: 6, conversations_created: 4, conversations_unchanged: 0, conversations_failed: 0 });
    expect(await storedIds(input.userId)).toEqual(raw.slice(0, 4).map((c) => String(c.id)).sort());
  });

  it('reports conversations that cannot be normalized, with their index, in the chunk failures file', async () => {
    const raw: unknown[] = rawConversations(2, 41);
    raw.splice(1, 0, { title: 'no id at all', mapping: {} });
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json' });
    await acquireLock(ctx, input);
    await splitArchive(ctx, input, smallChunks);
    const [line] = await manifestLines(ctx, input.importId);
    const output = await processChunk(ctx, { importId: input.importId, userId: input.userId, chunkIndex: 0, chunk: line! });
    expect(output).toMatchObject({ conversations: 3, failed: 1 });
    const failures = await readJsonObject<unknown[]>(ctx.clients.s3, ctx.resources.bucket, objectKeys.chunkFailures(input.importId, 0));
    expect(failures).toEqual([{ index: 1, conversation_id: null, reason: expect.any(String) }]);
    const job = await getJob(jobContextOf(ctx), input);
    expect(job!.counts).toMatchObject({ conversations_created: 2, conversations_failed: 1 });
    expect(job!.failures).toEqual([{ index: 1, conversation_id: null, reason: expect.any(String) }]);
  });

  it('refuses a manifest line naming another import\'s chunk', async () => {
    await expect(
      processChunk(ctx, { importId: 'a', userId: 'u', chunkIndex: 0, chunk: { chunk: 0, key: 'work/b/chunks/00000.jsonl', conversations: 1, bytes: 1, skip: [] } }),
    ).rejects.toThrow(/expected work\/a\/chunks\/00000\.jsonl/);
  });
});

describe('finalizeImport', () => {
  it('SUCCEEDED: finishes the job, releases the lock, deletes the work files', async () => {
    const raw = rawConversations(9, 51);
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json' });
    const state = await runUntilFinalize(input);
    expect(await workKeys(input.importId)).not.toEqual([]);

    const output = await finalizeImport(ctx, state);
    expect(output).toEqual({ status: 'SUCCEEDED', reason: null, reportKey: null, failedChunks: 0, mirrored: null });
    const job = await getJob(jobContextOf(ctx), input);
    expect(job).toMatchObject({ status: 'SUCCEEDED', chunks_done: 3, chunks_total: 3, error: null, report_key: null });
    expect(job!.counts.conversations_created).toBe(9);
    expect(await readImportLock(jobContextOf(ctx), input.userId)).toBeNull();
    expect(await workKeys(input.importId)).toEqual([]);

    // A retried Finalize changes nothing.
    expect(await finalizeImport(ctx, state)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('migrates the user\'s layout-1 conversations only while it provably holds the lock, and counts them on the job', async () => {
    const userId = legacyFixture.user_id;
    await loadLegacyFixture(storeContextOf(ctx));
    const legacyMetas = async () => itemsOfUser(await conversationsTableItems(storeContextOf(ctx)), userId).filter((item) => item.sk === 'META' && item.layout === undefined).length;
    const fixtureConversations = await legacyMetas();
    const raw = rawConversations(2, 61);
    const timeLeftMs = () => 300_000;

    // The lock was lost (released here; taken over, on AWS): the migration must not race whoever has it.
    const unlocked = await runUntilFinalize(await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json', userId }));
    await releaseImportLock(jobContextOf(ctx), userId, unlocked.importId);
    expect(await finalizeImport(ctx, unlocked, { timeLeftMs })).toMatchObject({ status: 'SUCCEEDED' });
    expect((await getJob(jobContextOf(ctx), unlocked))!.counts.conversations_migrated).toBe(0);
    expect(await legacyMetas()).toBe(fixtureConversations);

    const locked = await runUntilFinalize(await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json', userId }));
    expect(await finalizeImport(ctx, locked, { timeLeftMs })).toMatchObject({ status: 'SUCCEEDED' });
    expect((await getJob(jobContextOf(ctx), locked))!.counts).toMatchObject({ conversations_unchanged: 2, conversations_migrated: fixtureConversations });
    expect(await legacyMetas()).toBe(0);
    expect(await readImportLock(jobContextOf(ctx), userId)).toBeNull();
    // A retried Finalize neither migrates nor counts again.
    expect(await finalizeImport(ctx, locked, { timeLeftMs })).toMatchObject({ status: 'SUCCEEDED' });
    expect((await getJob(jobContextOf(ctx), locked))!.counts.conversations_migrated).toBe(fixtureConversations);
  });

  it('PARTIAL: failed conversations and a failed chunk are in the report; mirror is skipped', async () => {
    const userId = 'mirror-partial';
    // Stored earlier and absent from the new export: mirror would delete it, but must not here.
    const earlier = await uploadExport(ctx, Buffer.from(JSON.stringify(rawConversations(1, 61, 100))), { extension: 'json', userId });
    await finalizeImport(ctx, await runUntilFinalize(earlier));

    const raw: unknown[] = rawConversations(8, 61);
    raw.splice(2, 0, 42); // not a conversation
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json', userId, mirror: true });
    const state = await runUntilFinalize(input, [2]);

    const output = await finalizeImport(ctx, state);
    expect(output).toMatchObject({ status: 'PARTIAL', failedChunks: 1, mirrored: null, reportKey: `reports/${userId}/${input.importId}.json` });
    expect(output.reason).toBe('1 conversation(s) failed; 1 chunk(s) failed');
    const report = await readFailureReport(jobContextOf(ctx), userId, input.importId);
    expect(report!.failure_count).toBe(2);
    expect(report!.failures).toEqual([
      { index: 2, conversation_id: null, reason: expect.any(String) },
      { conversation_id: null, reason: 'chunk 2 could not be imported (States.Timeout: Task timed out after 300 seconds)' },
    ]);
    const job = await getJob(jobContextOf(ctx), input);
    expect(job).toMatchObject({ status: 'PARTIAL', report_key: output.reportKey });
    expect(await storedIds(userId)).toContain(String(rawConversations(1, 61, 100)[0]!.id));
    expect(await workKeys(input.importId)).toEqual([]);
  });

  it('mirror deletes conversations the export no longer has, only when the import is complete', async () => {
    const userId = 'mirror-complete';
    const old = rawConversations(3, 71, 200);
    const first = await uploadExport(ctx, Buffer.from(JSON.stringify(old)), { extension: 'json', userId });
    await finalizeImport(ctx, await runUntilFinalize(first));

    const kept = rawConversations(2, 71);
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify([...kept, old[0]])), { extension: 'json', userId, mirror: true });
    const output = await finalizeImport(ctx, await runUntilFinalize(input));
    expect(output).toMatchObject({ status: 'SUCCEEDED', mirrored: { conversations_deleted: 2 } });
    expect(await storedIds(userId)).toEqual([...kept, old[0]!].map((c) => String(c.id)).sort());
  });
});

describe('markImportFailed', () => {
  it('records a Lambda-style cause as one line, releases the lock and deletes work files', async () => {
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(rawConversations(3, 81))), { extension: 'json' });
    await acquireLock(ctx, input);
    await splitArchive(ctx, input, smallChunks);
    const cause = JSON.stringify({ errorType: 'TypeError', errorMessage: 'Cannot read properties\nof undefined', trace: ['at x'] });

    const output = await markImportFailed(ctx, { ...input, error: { Error: 'TypeError', Cause: cause } });
    expect(output).toEqual({ reason: 'TypeError: Cannot read properties of undefined', recorded: true, lockReleased: true });
    expect(await getJob(jobContextOf(ctx), input)).toMatchObject({ status: 'FAILED', error: 'TypeError: Cannot read properties of undefined' });
    expect(await readImportLock(jobContextOf(ctx), input.userId)).toBeNull();
    expect(await workKeys(input.importId)).toEqual([]);
  });

  it('shows user-facing errors without their name and caps the reason at 500 characters', async () => {
    const input = await uploadExport(ctx, Buffer.from('not a zip'));
    const message = `The upload is not a readable ChatGPT export: ${'x'.repeat(600)}`;
    const output = await markImportFailed(ctx, { ...input, error: { Error: 'UnreadableExport', Cause: JSON.stringify({ errorMessage: message }) } });
    expect(output.reason.startsWith('The upload is not a readable ChatGPT export: xxx')).toBe(true);
    expect(output.reason.length).toBe(500);
  });

  it('leaves another import\'s lock alone after the lock wait ran out', async () => {
    const holder = await uploadExport(ctx, Buffer.from('[]'), { extension: 'json', userId: 'busy-user' });
    const waiter = await uploadExport(ctx, Buffer.from('[]'), { extension: 'json', userId: 'busy-user' });
    await acquireLock(ctx, holder);
    await expect(acquireLock(ctx, waiter)).rejects.toMatchObject({ name: 'ImportLockBusy' });
    const output = await markImportFailed(ctx, { ...waiter, error: { Error: 'ImportLockBusy', Cause: 'Another import of this account was still running after waiting about 15 minutes; try again later.' } });
    expect(output).toMatchObject({ lockReleased: false, reason: 'Another import of this account was still running after waiting about 15 minutes; try again later.' });
    expect((await readImportLock(jobContextOf(ctx), 'busy-user'))!.import_id).toBe(holder.importId);
  });

  it('explains "no conversations" from the job (which listed shards were missing)', async () => {
    const input = await uploadExport(ctx, Buffer.from('[]'), { extension: 'json' });
    await acquireLock(ctx, input);
    expect(await splitArchive(ctx, input)).toMatchObject({ chunks: 0 });
    const output = await markImportFailed(ctx, { ...input, error: { Error: 'NoConversationsFound', Cause: 'No conversations found in the uploaded export.' } });
    expect(output.reason).toBe('no conversations found in the export');
  });
});

