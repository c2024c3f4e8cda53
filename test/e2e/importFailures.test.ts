import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '@threadline/local/stepFunctions/executionRegistry';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { generateExport } from '@threadline/generator/generateExport';
import { archivedConversations, convertedConversations } from './support/archiveContents';
import { conversationsOf, readExportZip, writeExportZip } from './support/exportFiles';
import { useTestSystem } from './support/testSystem';

// What goes wrong, through the whole local system: a poison conversation, an unreadable
// archive, and two imports of one user racing for the lock.

const context = useTestSystem('failures');

describe('imports that go wrong', () => {
  it('imports everything but a poison conversation, and says which one: PARTIAL', async () => {
    const { system, workDir } = context;
    const clean = join(workDir, 'clean.zip');
    await generateExport({ conversations: 40, seed: 21, out: clean });
    const files = await readExportZip(clean);
    const conversations = conversationsOf(files);
    conversations.splice(5, 0, 'not a conversation');
    const poisoned = join(workDir, 'poisoned.zip');
    await writeExportZip(poisoned, files, { 'conversations.json': conversations });

    const job = await importExportFile(system, { filePath: poisoned, userId: 'poison' });
    expect(job.status).toBe('PARTIAL');
    expect(job.counts).toMatchObject({ conversations_created: 40, conversations_failed: 1 });
    expect(job.failures).toEqual([expect.objectContaining({ index: 5, conversation_id: null, reason: expect.any(String) })]);
    expect(job.error).toMatch(/1 conversation/);
    expect(await archivedConversations(system, 'poison')).toEqual(await convertedConversations(clean, join(workDir, 'clean.jsonl')));
  });

  it('fails an unreadable archive with a reason and leaves the earlier import intact', async () => {
    const { system, workDir } = context;
    const earlier = join(workDir, 'earlier.zip');
    await generateExport({ conversations: 30, seed: 22, out: earlier });
    expect((await importExportFile(system, { filePath: earlier, userId: 'unreadable' })).status).toBe('SUCCEEDED');
    const before = await archivedConversations(system, 'unreadable');

    const bytes = await readFile(earlier);
    const truncated = join(workDir, 'truncated.zip');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const job = await importExportFile(system, { filePath: truncated, userId: 'unreadable' });
    expect(job.status).toBe('FAILED');
    expect(job.error).toEqual(expect.any(String));
    expect(job.error!.length).toBeGreaterThan(10);
    // In the user's terms: the file they picked, never the storage key.
    expect(job.error).toContain('truncated.zip');
    expect(job.error).not.toContain(job.import_id);
    expect(await archivedConversations(system, 'unreadable')).toEqual(before);
  });

  it('imports what precedes the break of a truncated JSON export and says where it broke: PARTIAL', async () => {
    const { system, workDir } = context;
    const clean = join(workDir, 'whole.zip');
    await generateExport({ conversations: 20, seed: 23, out: clean });
    const text = JSON.stringify(conversationsOf(await readExportZip(clean)));
    const cut = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) * 0.6));
    const truncated = join(workDir, 'my chats.json');
    await writeFile(truncated, cut);

    const job = await importExportFile(system, { filePath: truncated, userId: 'cut-short' });
    expect(job.status).toBe('PARTIAL');
    const imported = job.counts.conversations_created;
    expect(imported).toBeGreaterThan(0);
    expect(imported).toBeLessThan(20);
    const expected = new RegExp(`^my chats\\.json: ended at byte ${cut.length} inside the conversation starting at byte \\d+ \\(the file is truncated\\); the ${imported} conversation\\(s\\) before it were imported$`);
    expect(job.read_errors).toEqual([expect.stringMatching(expected)]);
    expect(job.error).toBe(job.read_errors[0]);
    expect(job.missing_shards).toEqual([]);
    expect((await archivedConversations(system, 'cut-short')).length).toBe(imported);
  });

  it('serializes two imports of one user with the lock; both complete correctly', async () => {
    const { system, workDir } = context;
    const first = join(workDir, 'first.zip');
    const second = join(workDir, 'second.zip');
    await generateExport({ conversations: 30, seed: 31, out: first });
    await generateExport({ conversations: 30, seed: 32, out: second });

    const jobs = await Promise.all([first, second].map((filePath) => importExportFile(system, { filePath, userId: 'racing' })));
    expect(jobs.map((job) => job.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(jobs.map((job) => job.counts.conversations_created)).toEqual([30, 30]);

    const expected = [...(await convertedConversations(first, join(workDir, 'first.jsonl'))), ...(await convertedConversations(second, join(workDir, 'second.jsonl')))];
    expected.sort((a, b) => (a.conversation_id < b.conversation_id ? -1 : 1));
    expect(await archivedConversations(system, 'racing')).toEqual(expected);

    // The later holder took the lock only after the earlier one reached Finalize (which releases it).
    await system.idle();
    const histories = jobs.map((job) => system.registry.list(system.workflowArn).find((e) => e.name === job.import_id)!.history);
    const at = (history: HistoryEvent[], type: string, state: string) =>
      history.find((e) => e.type === type && (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) && ((e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name: string }).name === state)!.timestamp.getTime();
    const [earlier, later] = [...histories].sort((a, b) => at(a, 'TaskStateExited', 'AcquireLock') - at(b, 'TaskStateExited', 'AcquireLock'));
    expect(at(later, 'TaskStateExited', 'AcquireLock')).toBeGreaterThanOrEqual(at(earlier, 'TaskStateEntered', 'Finalize'));
    expect(later.some((e) => e.type === 'TaskFailed' && (e.taskFailedEventDetails as { error: string }).error === 'ImportLockBusy')).toBe(true);
  });
});
