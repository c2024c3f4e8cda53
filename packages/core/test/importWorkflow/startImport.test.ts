import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import { createAwsClients } from '../../src/aws/awsClients';
import { jobContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import { createJob, getJob } from '../../src/importWorkflow/job/jobRepository';
import { startImport } from '../../src/importWorkflow/steps/startImport';
import { importHandlers } from '@threadline/functions/import/importHandlers';
import { startStepFunctionsEndpoint, type StepFunctionsEndpoint } from '@threadline/local/stepFunctions/stepFunctionsEndpoint';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { importContextOf } from './importTestKit';

const workflowArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:threadline-import-test';
let ctx: ImportContext;
let endpoint: StepFunctionsEndpoint;
let handler: (event: S3Event) => Promise<unknown>;
const runs: unknown[] = [];

beforeAll(async () => {
  const resources = await useIsolatedResources('start-import');
  endpoint = await startStepFunctionsEndpoint();
  // Step Functions is this file's endpoint (a toy runner below), DynamoDB and S3 the run's.
  const { sfn } = createAwsClients({ ...inject('localParts').env, AWS_ENDPOINT_URL_SFN: endpoint.url });
  afterAll(() => sfn.destroy());
  ctx = { ...importContextOf(resources), clients: { ...resources.clients, sfn } };
  // A toy runner: records its input and stays RUNNING until the test ends.
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  afterAll(() => finish());
  endpoint.registry.register(workflowArn, async ({ input }) => {
    runs.push(input);
    await done;
    return { ok: true };
  });
  // The deployed handler, given what the function's links and environment give it on AWS.
  handler = importHandlers(() => ({ ...ctx, workflowArn })).startImport;
});

afterAll(async () => {
  await endpoint?.close();
});

function s3Event(...keys: string[]): S3Event {
  return {
    Records: keys.map((key) => ({ s3: { bucket: { name: ctx.resources.bucket }, object: { key, size: 123 } } })),
  } as unknown as S3Event;
}

describe('startImport handler', () => {
  it('rejects keys that do not name an import, without throwing', async () => {
    const outcomes = await handler(s3Event('imports/u/a.txt', 'imports/../x.zip', 'other/u/i.zip', 'imports/u/sub/i.zip'));
    expect((outcomes as { status: string }[]).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(runs).toEqual([]);
  });

  it('creates the job and starts one execution for a duplicated event, keeping options the API set', async () => {
    await createJob(jobContextOf(ctx), {
      userId: 'user-a',
      importId: 'import-dup',
      source: { key: 'imports/user-a/import-dup.zip', bytes: 123, name: 'My Export.zip' },
      options: { mirror: true },
    });
    const event = s3Event('imports/user-a/import-dup.zip');
    const first = (await handler(event)) as { status: string }[];
    const second = (await handler(event)) as { status: string }[];
    expect(first[0]).toMatchObject({ status: 'started', importId: 'import-dup' });
    expect(['started', 'already-started']).toContain(second[0]!.status);
    expect(endpoint.registry.list(workflowArn).map((execution) => execution.name)).toEqual(['import-dup']);
    expect(runs).toEqual([{ importId: 'import-dup', userId: 'user-a', bucket: ctx.resources.bucket, key: 'imports/user-a/import-dup.zip' }]);
    const job = await getJob(jobContextOf(ctx), { userId: 'user-a', importId: 'import-dup' });
    expect(job).toMatchObject({ status: 'QUEUED', options: { mirror: true }, source: { name: 'My Export.zip' } });
  });

  it('creates the job itself when the API did not, from a URL-encoded key', async () => {
    await handler(s3Event('imports%2Fuser-b%2Fimport-new.json'));
    const job = await getJob(jobContextOf(ctx), { userId: 'user-b', importId: 'import-new' });
    expect(job).toMatchObject({ status: 'QUEUED', options: { mirror: false }, source: { key: 'imports/user-b/import-new.json', bytes: 123, name: 'import-new.json' } });
    expect(endpoint.registry.list(workflowArn).map((execution) => execution.name).sort()).toEqual(['import-dup', 'import-new']);
  });

  it('treats ExecutionAlreadyExists (a closed execution of that name) as already started', async () => {
    const quickArn = `${workflowArn}-quick`;
    endpoint.registry.register(quickArn, async () => ({ ok: true }));
    const event = s3Event('imports/user-c/import-closed.zip');
    expect(await startImport(ctx, event.Records, { workflowArn: quickArn })).toMatchObject([{ status: 'started' }]);
    await endpoint.registry.list(quickArn)[0]!.settled;
    expect(await startImport(ctx, event.Records, { workflowArn: quickArn })).toMatchObject([{ status: 'already-started', importId: 'import-closed' }]);
    expect(endpoint.registry.list(quickArn)).toHaveLength(1);
  });
});
