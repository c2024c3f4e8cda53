import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStateMachineDefinition, importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import { workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';
import { jobContextOf, type ImportContext } from '@threadline/core/importWorkflow/importContext';
import type { ImportExecutionInput } from '@threadline/core/importWorkflow/importWorkflowState';
import { acquireLock } from '@threadline/core/importWorkflow/steps/acquireLock';
import { finalizeImport } from '@threadline/core/importWorkflow/steps/finalizeImport';
import { markImportFailed } from '@threadline/core/importWorkflow/steps/markImportFailed';
import { processChunk } from '@threadline/core/importWorkflow/steps/processChunk';
import { splitArchive } from '@threadline/core/importWorkflow/steps/splitArchive';
import { readFailureReport } from '@threadline/core/importWorkflow/job/failureReport';
import { readImportLock } from '@threadline/core/importWorkflow/job/importLock';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
import { runStateMachine, type TaskHandler } from '@threadline/local/engine/localStateMachine';
import { useIsolatedResources } from '../support/isolatedResources';
import { importContextOf, rawConversations, uploadExport } from '../../packages/core/test/importWorkflow/importTestKit';

// `sst dev` with no dev session: SST's stand-in Lambda RETURNS this (bridge.go posts it as the
// invocation's response), so Step Functions sees a success. The definition's output checks must
// turn it into a failed step. Here the deployed definition runs on the local state machine with
// the real steps on DynamoDB Local and s3rver, one step at a time replaced by the stand-in.

const sstDevStandIn = { statusCode: '500', body: 'sst dev is not running (worker: 0123456789abcdef0123456789abcdef)' };
const standIn: TaskHandler = async () => sstDevStandIn;

let ctx: ImportContext;

beforeAll(async () => {
  ctx = importContextOf(await useIsolatedResources('dev-stand-in'));
});

const smallChunks = { chunkLimits: { maxConversations: 4, maxBytes: 16 * 1024 * 1024 } };

function realSteps(): Record<string, TaskHandler> {
  return {
    [importStateNames.acquireLock]: (event) => acquireLock(ctx, event),
    [importStateNames.split]: (event) => splitArchive(ctx, event, smallChunks),
    [importStateNames.processChunk]: (event) => processChunk(ctx, event),
    [importStateNames.finalize]: (event) => finalizeImport(ctx, event),
    [importStateNames.markFailed]: (event) => markImportFailed(ctx, event),
  };
}

async function runImport(input: ImportExecutionInput, taskHandlers: Record<string, TaskHandler>) {
  const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:dev-${name}`;
  const definition = importStateMachineDefinition({
    functions: { acquireLock: arn('acquire-lock'), split: arn('split'), processChunk: arn('process-chunk'), finalize: arn('finalize'), markFailed: arn('mark-failed') },
    bucket: ctx.resources.bucket,
    maxConcurrency: 2,
    toleratedFailurePercentage: workflowSettings.toleratedFailurePercentage,
    resultsPrefix: workflowSettings.resultsPrefix,
  });
  const execution = runStateMachine({
    definition,
    taskHandlers,
    readObject: async (bucket, key) => (await (await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf8')) ?? '',
    writeObject: async (bucket, key, body) => {
      await ctx.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    input,
    name: input.importId,
    retryIntervalOverrides: Object.fromEntries(Object.keys(taskHandlers).map((name) => [name, 0])),
  });
  await execution.result.catch(() => undefined);
  return { execution, job: (await getJob(jobContextOf(ctx), input))! };
}

async function upload(conversations: number): Promise<ImportExecutionInput> {
  return uploadExport(ctx, Buffer.from(JSON.stringify(rawConversations(conversations, 61))), { extension: 'json' });
}

describe("an import under `sst dev` whose dev session is not running", () => {
  for (const step of [importStateNames.acquireLock, importStateNames.split, importStateNames.finalize]) {
    it(`FAILS, saying so, when ${step} gets the stand-in's answer`, async () => {
      const input = await upload(6);
      const { execution, job } = await runImport(input, { ...realSteps(), [step]: standIn });
      expect(execution.status()).toBe('FAILED');
      expect(job.status).toBe('FAILED');
      expect(job.error).toBe(`${step}: the dev session is not running (sst dev's stand-in answered for the function); start \`sst dev\` and import the export again.`);
      // MarkFailed released the lock (AcquireLock's real one, when it was not the dead step).
      expect(await readImportLock(jobContextOf(ctx), input.userId)).toBeNull();
    });
  }

  it('is PARTIAL when only one chunk got the stand-in, and the report says which and why', async () => {
    const input = await upload(10);
    const steps = realSteps();
    const process = steps[importStateNames.processChunk]!;
    const { execution, job } = await runImport(input, {
      ...steps,
      [importStateNames.processChunk]: (event, context) => (event.chunkIndex === 1 ? sstDevStandIn : process(event, context)),
    });
    expect(execution.status()).toBe('SUCCEEDED');
    expect(job.status).toBe('PARTIAL');
    expect(job.error).toMatch(/1 chunk\(s\) failed/);
    const report = await readFailureReport(jobContextOf(ctx), input.userId, input.importId);
    expect(report?.failures).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^chunk 1 could not be imported \(StepOutputInvalid: ProcessChunk: the dev session is not running/) }),
    ]);
  });
});
