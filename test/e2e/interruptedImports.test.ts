import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { acquireLock } from '@threadline/core/importWorkflow/steps/acquireLock';
import type { ImportContext } from '@threadline/core/importWorkflow/importContext';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import { interruptionReasons } from '@threadline/core/importWorkflow/job/executionInterruption';
import { acquireImportLock, ImportLockBusy, readImportLock } from '@threadline/core/importWorkflow/job/importLock';
import { createJob, getJob, startStage } from '@threadline/core/importWorkflow/job/jobRepository';
import { importHandlers } from '@threadline/functions/import/importHandlers';
import { ExecutionRegistry } from '@threadline/local/stepFunctions/executionRegistry';
import { startStepFunctionsEndpoint, type StepFunctionsEndpoint } from '@threadline/local/stepFunctions/stepFunctionsEndpoint';
import { useIsolatedResources, type IsolatedResources } from '../support/isolatedResources';

// A lock whose holder died without MarkFailed (its execution stopped, timed out, failed outside
// any Catch, or unknown to the engine) must not block the user's next import, and the dead
// import must end FAILED with a reason. On DynamoDB Local and the local Step Functions endpoint,
// through the SDK clients the handlers use. The holder's execution is a stand-in registered at the
// workflow's ARN, so each way of ending can be produced on purpose.

const workflowArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:interrupted-test-import';
let resources: IsolatedResources;
let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;
let ctx: ImportContext;

type Ending = 'run' | 'stop' | 'time-out' | 'fail';

beforeAll(async () => {
  resources = await useIsolatedResources('interrupted');
  const registry = new ExecutionRegistry();
  registry.register(workflowArn, async ({ input, signal }) => {
    const ending = (input as { ending: Ending }).ending;
    if (ending === 'time-out') throw Object.assign(new Error('Execution timed out'), { name: 'States.Timeout' });
    if (ending === 'fail') throw Object.assign(new Error('MarkFailed itself failed'), { name: 'States.TaskFailed' });
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    return null;
  });
  endpoint = await startStepFunctionsEndpoint(registry);
  sfn = new SFNClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { clients, ...names } = resources;
  ctx = { clients: { ...clients, sfn }, resources: names, log: () => undefined };
});

afterAll(async () => {
  for (const execution of endpoint.registry.list(workflowArn, 'RUNNING')) endpoint.registry.stop(execution.executionArn);
  await endpoint.registry.drain();
  await endpoint.close();
  sfn.destroy();
});

const jobCtx = () => ({ clients: resources.clients, tables: resources.tables, bucket: resources.bucket });

/** A user whose import `holder` is RUNNING, holds the lock, and whose execution ended as `ending` (or never existed). */
async function deadHolder(userId: string, ending: Ending | 'never-started') {
  const holder = { userId, importId: `${userId}-holder` };
  await createJob(jobCtx(), { ...holder, source: { key: `imports/${userId}/${holder.importId}.zip`, bytes: 1, name: 'old.zip' } });
  await startStage(jobCtx(), holder, 'PROCESSING');
  await acquireImportLock(jobCtx(), userId, holder.importId, 3600);
  if (ending !== 'never-started') {
    const execution = endpoint.registry.start(workflowArn, holder.importId, JSON.stringify({ ending }));
    if (ending === 'stop') await sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn, error: 'Stopped', cause: 'by a person, in the console' }));
    if (ending !== 'run') await execution.settled;
  }
  return holder;
}

describe('AcquireLock with a dead holder', () => {
  it.each([
    { ending: 'stop', reason: interruptionReasons.stopped },
    { ending: 'time-out', reason: interruptionReasons.timedOut },
    { ending: 'fail', reason: `${interruptionReasons.failed} (States.TaskFailed: MarkFailed itself failed)` },
    { ending: 'never-started', reason: interruptionReasons.localSystemStopped },
  ] as const)('takes the lock over at once when the holder\'s execution ended: $ending', async ({ ending, reason }) => {
    const userId = `dead-${ending}`;
    const holder = await deadHolder(userId, ending);
    const taken = await acquireLock(ctx, { userId, importId: `${userId}-next`, workflowArn });
    expect(taken.importId).toBe(`${userId}-next`);
    expect(await readImportLock(jobCtx(), userId)).toMatchObject({ import_id: `${userId}-next` });
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'FAILED', stage: 'PROCESSING', interrupted: true, error: reason });
  });

  it('waits (ImportLockBusy) while the holder\'s execution runs, and touches nothing', async () => {
    const userId = 'live-holder';
    const holder = await deadHolder(userId, 'run');
    await expect(acquireLock(ctx, { userId, importId: `${userId}-next`, workflowArn })).rejects.toBeInstanceOf(ImportLockBusy);
    expect(await readImportLock(jobCtx(), userId)).toMatchObject({ import_id: holder.importId });
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'RUNNING', interrupted: false, error: null });
  });

  it('without the workflow ARN (an older definition) keeps the lease rule: busy', async () => {
    const userId = 'no-arn';
    await deadHolder(userId, 'never-started');
    await expect(acquireLock(ctx, { userId, importId: `${userId}-next` })).rejects.toBeInstanceOf(ImportLockBusy);
  });
});

describe('the AWS reconcile function (EventBridge → reconcileExecution)', () => {
  type Handler = (event: unknown) => Promise<{ outcome: string; reason?: string }>;
  let handler: Handler;

  beforeAll(() => {
    // The deployed handler, given what its links give it on AWS: the names and the workflow's ARN.
    handler = importHandlers(() => ({ ...ctx, workflowArn })).reconcileExecution as Handler;
  });

  /** The event exactly as EventBridge delivers a Step Functions status change (AWS's documented example, our names). */
  function statusChangeEvent(importId: string, userId: string, status: string, stateMachineArn = workflowArn) {
    const executionArn = executionArnOf(stateMachineArn, importId);
    return {
      version: '0',
      id: '315c1398-40ff-a850-213b-158f73e60175',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: '2026-12-01T16:20:21Z',
      region: 'us-east-1',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn,
        name: importId,
        status,
        startDate: 1796142000000,
        stopDate: 1796142021000,
        input: JSON.stringify({ importId, userId, bucket: resources.bucket, key: `imports/${userId}/${importId}.zip` }),
        output: null,
        inputDetails: { included: true },
        outputDetails: null,
        error: status === 'TIMED_OUT' ? 'States.Timeout' : null,
        cause: null,
        redriveCount: 0,
        redriveDate: null,
        redriveStatus: 'REDRIVABLE',
        redriveStatusReason: 'Execution is eligible for redrive',
      },
    };
  }

  it('finishes a stopped import FAILED and frees the lock; a repeated delivery changes nothing', async () => {
    const holder = await deadHolder('eb-stopped', 'never-started');
    expect(await handler(statusChangeEvent(holder.importId, holder.userId, 'ABORTED'))).toMatchObject({ outcome: 'interrupted', reason: interruptionReasons.stopped });
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'FAILED', interrupted: true, error: interruptionReasons.stopped });
    expect(await readImportLock(jobCtx(), holder.userId)).toBeNull();
    // EventBridge delivers at least once.
    expect(await handler(statusChangeEvent(holder.importId, holder.userId, 'ABORTED'))).toEqual({ outcome: 'already-ended' });
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'FAILED', error: interruptionReasons.stopped });
  });

  it('says "timed out" for TIMED_OUT', async () => {
    const holder = await deadHolder('eb-timeout', 'never-started');
    await handler(statusChangeEvent(holder.importId, holder.userId, 'TIMED_OUT'));
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'FAILED', error: interruptionReasons.timedOut });
  });

  it('leaves an import that already ended (FAILED through MarkFailed) as it was', async () => {
    const userId = 'eb-marked';
    const key = { userId, importId: `${userId}-1` };
    await createJob(jobCtx(), { ...key, source: { key: `imports/${userId}/${key.importId}.zip`, bytes: 1, name: 'x.zip' } });
    const { markJobFailed } = await import('@threadline/core/importWorkflow/job/jobRepository');
    await markJobFailed(jobCtx(), key, 'The upload is not a readable ChatGPT export');
    expect(await handler(statusChangeEvent(key.importId, userId, 'FAILED'))).toEqual({ outcome: 'already-ended' });
    expect(await getJob(jobCtx(), key)).toMatchObject({ status: 'FAILED', interrupted: false, error: 'The upload is not a readable ChatGPT export' });
  });

  it('ignores Distributed Map children and other state machines', async () => {
    const holder = await deadHolder('eb-child', 'never-started');
    const child = statusChangeEvent(holder.importId, holder.userId, 'FAILED', `${workflowArn}/ProcessChunks:0f3a`);
    expect(await handler(child)).toMatchObject({ outcome: 'ignored' });
    expect(await getJob(jobCtx(), holder)).toMatchObject({ status: 'RUNNING' });
    expect(await readImportLock(jobCtx(), holder.userId)).toMatchObject({ import_id: holder.importId });
  });
});
