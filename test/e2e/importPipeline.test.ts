import { join } from 'node:path';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { jobCountNames } from '@threadline/core/importWorkflow/job/importJob';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { generateExport } from '@threadline/generator/generateExport';
import { archivedConversations, convertedConversations } from './support/archiveContents';
import {
  conversationsOf,
  deleteMessage,
  middleVisibleNode,
  readExportZip,
  switchBranch,
  writeExportZip,
  type ExportConversation,
} from './support/exportFiles';
import { useTestSystem } from './support/testSystem';

// The whole path with real parts, the real engine and the real handlers: presigned POST upload →
// s3rver ObjectCreated → start-import → Step Functions execution → tables, compared to what
// `threadline convert` makes of the same export.

const context = useTestSystem('pipeline');
const user = 'e2e-user';

describe('import through the local system', () => {
  let firstExport: string;

  it('imports a generated export exactly as convert normalizes it', async () => {
    const { system, workDir } = context;
    firstExport = join(workDir, 'export-1.zip');
    await generateExport({ conversations: 60, seed: 7, out: firstExport });

    const job = await importExportFile(system, { filePath: firstExport, userId: user });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.error).toBeNull();
    expect(job.failures).toEqual([]);
    expect(Object.keys(job.counts)).toEqual(expect.arrayContaining([...jobCountNames]));
    expect(job.counts).toMatchObject({ conversations_total: 60, conversations_created: 60, conversations_updated: 0, conversations_unchanged: 0, conversations_failed: 0 });

    const expected = await convertedConversations(firstExport, join(workDir, 'export-1.jsonl'));
    expect(expected).toHaveLength(60);
    expect(job.counts.messages_put).toBe(expected.reduce((sum, c) => sum + c.message_count, 0));
    expect(await archivedConversations(system, user)).toEqual(expected);
  });

  it('re-imports the same file with nothing changed and no message written or deleted', async () => {
    const job = await importExportFile(context.system, { filePath: firstExport, userId: user });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ conversations_total: 60, conversations_created: 0, conversations_updated: 0, conversations_unchanged: 60, messages_put: 0, messages_deleted: 0 });
  });

  it('imports an edited export: a branch switch, a deleted message and a new conversation', async () => {
    const { system, workDir } = context;
    const files = await readExportZip(firstExport);
    const conversations = conversationsOf(files) as ExportConversation[];
    const [branched, shortened] = conversations.filter((c) => middleVisibleNode(c) !== null);
    switchBranch(branched, middleVisibleNode(branched)!);
    deleteMessage(shortened, middleVisibleNode(shortened)!);
    const added = structuredClone(conversations[0]);
    added.id = added.conversation_id = '00000000-e2e0-4000-8000-000000000001';
    added.title = 'A conversation only the newer export has';
    conversations.push(added);
    const editedExport = join(workDir, 'export-2.zip');
    await writeExportZip(editedExport, files, { 'conversations.json': conversations });

    const job = await importExportFile(system, { filePath: editedExport, userId: user });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ conversations_total: 61, conversations_created: 1, conversations_updated: 2, conversations_unchanged: 58, conversations_failed: 0 });
    expect(job.counts.messages_deleted).toBeGreaterThan(0);
    expect(await archivedConversations(system, user)).toEqual(await convertedConversations(editedExport, join(workDir, 'export-2.jsonl')));
  });

  it('imports a sharded (2026) export', async () => {
    const { system, workDir } = context;
    const sharded = join(workDir, 'sharded.zip');
    await generateExport({ conversations: 45, shards: 3, seed: 11, out: sharded });
    const job = await importExportFile(system, { filePath: sharded, userId: 'e2e-sharded' });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.missing_shards).toEqual([]);
    expect(job.read_errors).toEqual([]);
    expect(job.counts).toMatchObject({ conversations_total: 45, conversations_created: 45 });
    expect(await archivedConversations(system, 'e2e-sharded')).toEqual(await convertedConversations(sharded, join(workDir, 'sharded.jsonl')));
  });

  it('starts one execution for a duplicated S3 event, whether it arrives during or after the run', async () => {
    const { system } = context;
    let duplicateDuringRun: Promise<unknown> | undefined;
    const job = await importExportFile(
      system,
      { filePath: firstExport, userId: 'e2e-duplicates' },
      { onUploaded: () => (duplicateDuringRun = system.invokeStartImport(system.deliveredEvents.at(-1)!)) },
    );
    expect(job.status).toBe('SUCCEEDED');
    await duplicateDuringRun;
    const delivered = system.deliveredEvents.at(-1)!;
    expect(delivered.Records[0].s3.object.key).toBe(job.source.key);
    const lateOutcome = await system.invokeStartImport(delivered);
    expect(lateOutcome).toEqual([expect.objectContaining({ status: 'already-finished', importId: job.import_id })]);
    await system.idle();

    const { executions } = await system.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: system.workflowArn, maxResults: 1000 }));
    expect(executions!.filter((e) => e.name === job.import_id)).toHaveLength(1);
    expect(job.counts).toMatchObject({ conversations_total: 60, conversations_created: 60, messages_put: job.counts.messages_put });
    expect(job.chunks_done).toBe(job.chunks_total);
  });
});
