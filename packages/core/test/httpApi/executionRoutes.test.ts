import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionRegistry } from '@threadline/local/stepFunctions/executionRegistry';
import { startStepFunctionsEndpoint, type StepFunctionsEndpoint } from '@threadline/local/stepFunctions/stepFunctionsEndpoint';
import type { ApiContext } from '../../src/httpApi/apiTypes';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import { routeRequest } from '../../src/httpApi/routeTable';
import { apiRequest, createApiTestContext } from './apiTestContext';

const workflowArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:api-test-import';
let ctx: ApiContext;
let endpoint: StepFunctionsEndpoint;

beforeAll(async () => {
  const base = await createApiTestContext('api-execution', workflowArn);
  const registry = new ExecutionRegistry();
  // A stand-in workflow that reports the history events the real runner reports.
  registry.register(workflowArn, async ({ report }) => {
    report({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Split', input: '{}' } });
    report({ type: 'TaskScheduled' });
    report({ type: 'TaskFailed', taskFailedEventDetails: { error: 'Lambda.Unknown', cause: 'boom' } });
    report({ type: 'TaskScheduled' });
    report({ type: 'TaskSucceeded' });
    report({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'Split', output: '{}' } });
    report({ type: 'MapStateEntered', stateEnteredEventDetails: { name: 'ProcessChunks', input: '{}' } });
    report({ type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn: 'arn:map-run' } });
    report({ type: 'MapRunSucceeded' });
    report({ type: 'MapStateExited', stateExitedEventDetails: { name: 'ProcessChunks', output: '{}' } });
    return { ok: true };
  });
  endpoint = await startStepFunctionsEndpoint(registry);
  ctx = { ...base, clients: { ...base.clients, sfn: new SFNClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) } };
});

afterAll(async () => {
  await endpoint?.close();
});

describe('GET /imports/{id}/execution', () => {
  it('derives the execution ARN from the workflow ARN and the import id', () => {
    expect(executionArnOf(workflowArn, 'abc')).toBe('arn:aws:states:us-east-1:000000000000:execution:api-test-import:abc');
  });

  it('is 404 before the workflow starts, then a timeline of the states', async () => {
    const created = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'a.zip', bytes: 10 } }));
    const { importId } = created.body as { importId: string };
    const before = await routeRequest(ctx, apiRequest('GET', `/imports/${importId}/execution`));
    expect(before).toEqual({ statusCode: 404, body: { error: 'the workflow has not started for this import yet' } });

    endpoint.registry.start(workflowArn, importId, '{}');
    await endpoint.registry.drain();
    const response = await routeRequest(ctx, apiRequest('GET', `/imports/${importId}/execution`));
    expect(response.statusCode).toBe(200);
    const body = response.body as { status: string; consoleUrl: string | null; steps: { name: string; type: string; attempts: number; error: unknown; durationMs: number | null; mapRun: unknown }[] };
    expect(body.status).toBe('SUCCEEDED');
    expect(body.consoleUrl).toBeNull();
    expect(body.steps).toMatchObject([
      { name: 'Split', type: 'Task', attempts: 2, error: { error: 'Lambda.Unknown', cause: 'boom' } },
      { name: 'ProcessChunks', type: 'Map', mapRun: { arn: 'arn:map-run', status: 'SUCCEEDED' } },
    ]);
    expect(body.steps[0]!.durationMs).toBeGreaterThanOrEqual(0);

    const signedIn = await routeRequest(ctx, apiRequest('GET', `/imports/${importId}/execution`, { local: false }));
    expect((signedIn.body as { consoleUrl: string }).consoleUrl).toBe(
      `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${executionArnOf(workflowArn, importId)}`,
    );
  });
});
