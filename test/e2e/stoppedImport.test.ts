import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { routeRequest } from '@threadline/core/httpApi/routeTable';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import { interruptionReasons } from '@threadline/core/importWorkflow/job/executionInterruption';
import { isFinalStatus, type ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { readImportLock } from '@threadline/core/importWorkflow/job/importLock';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
import { importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import { followImportJob } from '@threadline/local/app/followImportJob';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { generateExport } from '@threadline/generator/generateExport';
import { archivedConversations, convertedConversations } from './support/archiveContents';
import { useTestSystem } from './support/testSystem';

// "Stop execution" on a running import, through the whole local system: the execution ends
// ABORTED without its Catch, the status change reaches the reconcile function as EventBridge would
// deliver it, and the import ends FAILED within moments, lock released. Then the page's Retry
// (POST /imports/{id}/retry) imports the same upload again, and the archive is the export's.
// This file's first chunk never finishes (the test-only pause hook), so the import stays RUNNING.
const context = useTestSystem('stopped', { testPause: { point: `${importStateNames.processChunk}:after:1` }, chunkConversations: 5 });

describe('an import stopped from outside (the console\'s "Stop execution")', () => {
  it('ends FAILED "stopped" at once, frees the lock, and the Retry route brings the archive to the export', async () => {
    const { system, workDir } = context;
    const exportPath = join(workDir, 'export.zip');
    await generateExport({ conversations: 12, seed: 77, out: exportPath });
    const userId = 'stopper';
    const jobCtx = { clients: system.clients, tables: system.resources.tables, bucket: system.resources.bucket };

    let importId = '';
    const following = importExportFile(system, { filePath: exportPath, userId }, { onUploaded: (id) => (importId = id) });
    // Wait until a chunk is counted: the first one's pause keeps the Map, and the import, running.
    let running: ImportJob | null = null;
    for (let waited = 0; !(running && running.chunks_done >= 1 && running.stage === 'PROCESSING'); waited += 50) {
      if (waited > 60_000) throw new Error(`the import never reached its first chunk: ${JSON.stringify(running)}`);
      await sleep(50);
      running = importId ? await getJob(jobCtx, { userId, importId }) : null;
    }
    expect(await readImportLock(jobCtx, userId)).toMatchObject({ import_id: importId });

    await system.clients.sfn.send(new StopExecutionCommand({ executionArn: executionArnOf(system.workflowArn, importId), cause: 'stopped in the console' }));
    const stopped = await following;
    expect(stopped).toMatchObject({ status: 'FAILED', interrupted: true, error: interruptionReasons.stopped, stage: 'PROCESSING' });
    // The reconcile function releases the lock right after it finished the job.
    await system.idle();
    expect(await readImportLock(jobCtx, userId)).toBeNull();

    const api = { clients: system.clients, resources: system.resources, workflowArn: () => system.workflowArn, region: 'us-east-1' };
    const request = (method: string, path: string) => ({ method, path, query: {}, body: null, user: { userId, local: true } });
    const retried = await routeRequest(api, request('POST', `/imports/${importId}/retry`));
    expect(retried.statusCode).toBe(202);
    const outcome = retried.body as { mode: string; importId: string; retryOf: string; fallback: string };
    expect(outcome).toMatchObject({ mode: 'new-import', retryOf: importId, fallback: expect.stringMatching(/cannot be redriven/) });
    const retriedJob = await followImportJob(jobCtx, { userId, importId: outcome.importId });
    expect(retriedJob).toMatchObject({ status: 'SUCCEEDED', source: stopped.source });
    expect(await archivedConversations(system, userId)).toEqual(await convertedConversations(exportPath, join(workDir, 'reference.jsonl')));

    // Only PARTIAL or interrupted imports can be retried.
    const again = await routeRequest(api, request('POST', `/imports/${outcome.importId}/retry`));
    expect(again).toMatchObject({ statusCode: 409, body: { error: expect.stringMatching(/only a PARTIAL or interrupted import/) } });
    expect(isFinalStatus((await getJob(jobCtx, { userId, importId: outcome.importId }))!.status)).toBe(true);
    expect((await routeRequest(api, request('POST', '/imports/nope/retry'))).statusCode).toBe(404);
    expect(existsSync(workDir)).toBe(true);
  });
});
