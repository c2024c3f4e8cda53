import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, RedriveExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportContext } from '../../src/importWorkflow/importContext';
import { retryImport, RetryRefused } from '../../src/importWorkflow/steps/retryImport';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import { acquireImportLock, readImportLock, releaseImportLock } from '../../src/importWorkflow/job/importLock';
import { createJob, finishJob, getJob, markJobInterrupted, startStage } from '../../src/importWorkflow/job/jobRepository';
import { useIsolatedResources, type IsolatedResources } from '../../../../test/support/isolatedResources';

// The redrive branch of retry: only real Step Functions can redrive, and neither the local engine
// nor any local part can produce a REDRIVABLE execution, so Step Functions is a recording stand-in
// here; the jobs, the lock and the upload are real (DynamoDB Local, s3rver). The new-import branch
// runs on the whole local system in test/e2e (importKilled, stoppedImport).

const workflowArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:retry-test-ImportWorkflow';
let resources: IsolatedResources;

beforeAll(async () => {
  resources = await useIsolatedResources('retry');
});

function stepFunctions(describe: Record<string, unknown>, redrive: () => Promise<unknown> = async () => ({ redriveDate: new Date() })) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const sfn = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command instanceof DescribeExecutionCommand) return describe;
      if (command instanceof RedriveExecutionCommand) return redrive();
      if (command instanceof StartExecutionCommand) return { executionArn: executionArnOf(workflowArn, String(command.input.name)) };
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  } as unknown as SFNClient;
  return { sfn, sent };
}

function contextWith(sfn: SFNClient): ImportContext {
  const { clients, ...names } = resources;
  return { clients: { ...clients, sfn }, resources: names, log: () => undefined };
}

const jobCtx = () => ({ clients: resources.clients, tables: resources.tables, bucket: resources.bucket });

async function interruptedImport(userId: string) {
  const key = { userId, importId: `${userId}-1` };
  const source = { key: `imports/${userId}/${key.importId}.zip`, bytes: 3, name: 'export.zip' };
  await resources.clients.s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: source.key, Body: 'zip' }));
  await createJob(jobCtx(), { ...key, source });
  await startStage(jobCtx(), key, 'PROCESSING');
  await markJobInterrupted(jobCtx(), key, 'interrupted: the execution was stopped');
  return key;
}

describe('retrying an interrupted import that Step Functions can redrive', () => {
  it('takes the lock, reopens the job in the stage it stopped in, and redrives the same execution', async () => {
    const key = await interruptedImport('redrivable');
    const { sfn, sent } = stepFunctions({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    const outcome = await retryImport(contextWith(sfn), key, { workflowArn });
    const executionArn = executionArnOf(workflowArn, key.importId);
    expect(outcome).toEqual({ mode: 'redriven', importId: key.importId, executionArn });
    expect(sent.map((c) => c.name)).toEqual(['DescribeExecutionCommand', 'RedriveExecutionCommand']);
    expect(sent[1]!.input).toMatchObject({ executionArn });
    expect(await getJob(jobCtx(), key)).toMatchObject({ status: 'RUNNING', stage: 'PROCESSING', interrupted: false, error: null, finished_at: null });
    expect(await readImportLock(jobCtx(), key.userId)).toMatchObject({ import_id: key.importId });
  });

  it('puts everything back when the redrive is refused', async () => {
    const key = await interruptedImport('refused');
    const refusal = Object.assign(new Error('Execution cannot be redriven'), { name: 'ExecutionNotRedrivable' });
    const { sfn } = stepFunctions({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' }, async () => Promise.reject(refusal));
    await expect(retryImport(contextWith(sfn), key, { workflowArn })).rejects.toBe(refusal);
    expect(await getJob(jobCtx(), key)).toMatchObject({ status: 'FAILED', interrupted: true, error: 'interrupted: the execution was stopped' });
    expect(await readImportLock(jobCtx(), key.userId)).toBeNull();
  });

  it('refuses while another import of the user holds the lock, and changes nothing', async () => {
    const key = await interruptedImport('busy');
    await acquireImportLock(jobCtx(), key.userId, 'someone-else', 3600);
    const { sfn, sent } = stepFunctions({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    await expect(retryImport(contextWith(sfn), key, { workflowArn })).rejects.toMatchObject({ name: 'RetryRefused', refusal: 'busy', kind: 'conflict' });
    expect(sent.map((c) => c.name)).toEqual(['DescribeExecutionCommand']);
    expect(await getJob(jobCtx(), key)).toMatchObject({ status: 'FAILED', interrupted: true });
    await releaseImportLock(jobCtx(), key.userId, 'someone-else');
  });
});

describe('retrying where Step Functions cannot redrive', () => {
  it('starts a new import of the same upload, and says why it did not redrive', async () => {
    const key = await interruptedImport('not-redrivable');
    const { sfn, sent } = stepFunctions({ status: 'TIMED_OUT', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' });
    const outcome = await retryImport(contextWith(sfn), key, { workflowArn, newImportId: 'not-redrivable-2' });
    expect(outcome).toMatchObject({ mode: 'new-import', importId: 'not-redrivable-2', retryOf: key.importId, fallback: expect.stringContaining('redrivable period exceeded') });
    const started = sent.find((c) => c.name === 'StartExecutionCommand')!.input;
    expect(started).toMatchObject({ stateMachineArn: workflowArn, name: 'not-redrivable-2' });
    expect(JSON.parse(String(started.input))).toEqual({ importId: 'not-redrivable-2', userId: key.userId, bucket: resources.bucket, key: `imports/${key.userId}/${key.importId}.zip` });
    expect(await getJob(jobCtx(), { userId: key.userId, importId: 'not-redrivable-2' })).toMatchObject({ status: 'QUEUED', source: { name: 'export.zip' } });
  });

  it('refuses a SUCCEEDED or plainly FAILED import, and an upload that expired', async () => {
    const { sfn } = stepFunctions({ status: 'SUCCEEDED' });
    const done = { userId: 'refusals', importId: 'done' };
    await createJob(jobCtx(), { ...done, source: { key: 'imports/refusals/done.zip', bytes: 1, name: 'a.zip' } });
    await startStage(jobCtx(), done, 'FINALIZING');
    await finishJob(jobCtx(), done, 'SUCCEEDED');
    await expect(retryImport(contextWith(sfn), done, { workflowArn })).rejects.toMatchObject({ refusal: 'not-retryable', kind: 'conflict' });
    await expect(retryImport(contextWith(sfn), { userId: 'refusals', importId: 'missing' }, { workflowArn })).rejects.toBeInstanceOf(RetryRefused);

    const gone = { userId: 'refusals', importId: 'gone' };
    await createJob(jobCtx(), { ...gone, source: { key: 'imports/refusals/gone.zip', bytes: 1, name: 'b.zip' } });
    await startStage(jobCtx(), gone, 'PROCESSING');
    await finishJob(jobCtx(), gone, 'PARTIAL');
    await expect(retryImport(contextWith(sfn), gone, { workflowArn })).rejects.toMatchObject({ refusal: 'upload-gone', kind: 'gone', message: expect.stringMatching(/import the export again/) });
  });
});
