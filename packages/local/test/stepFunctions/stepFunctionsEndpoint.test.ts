import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startStepFunctionsEndpoint, type StepFunctionsEndpoint } from '../../src/stepFunctions/stepFunctionsEndpoint';

// The endpoint is exercised through the real AWS SDK client, as start-import and the web API use it.
const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:toy';
let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;
const releases = new Map<string, () => void>();

beforeAll(async () => {
  endpoint = await startStepFunctionsEndpoint();
  endpoint.registry.register(machineArn, async ({ name, input, report, signal }) => {
    report({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: JSON.stringify(input) } });
    await new Promise<void>((resolve) => {
      releases.set(name, resolve);
      signal.addEventListener('abort', () => resolve());
    });
    if ((input as { fail?: boolean }).fail) throw Object.assign(new Error('it broke'), { name: 'ToyFailure' });
    report({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'Work', output: '{}' } });
    return { echoed: input };
  });
  sfn = new SFNClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  for (const release of releases.values()) release();
  await endpoint.registry.drain();
  await endpoint.close();
});

async function settle(name: string) {
  releases.get(name)!();
  await endpoint.registry.drain();
}

describe('local Step Functions endpoint', () => {
  it('starts, describes and finishes an execution with its output', async () => {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'one', input: '{"a":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:toy:one');
    expect(started.startDate).toBeInstanceOf(Date);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');
    await settle('one');
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ echoed: { a: 1 } });
    expect(done.stopDate).toBeInstanceOf(Date);
  });

  it('applies AWS name idempotency: same name and input while running returns the same execution', async () => {
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'twice', input: '{"x":1}' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'twice', input: '{"x":1}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'twice', input: '{"x":2}' }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await settle('twice');
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'twice', input: '{"x":1}' }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('records failures with error name and cause, and the history in order', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'broken', input: '{"fail":true}' }));
    await settle('broken');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'FAILED', error: 'ToyFailure', cause: 'it broke' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect(history.events!.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(history.events![1].stateEnteredEventDetails?.name).toBe('Work');
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(reversed.events!.map((e) => e.type)).toEqual(['ExecutionFailed']);
    expect(reversed.nextToken).toBeTruthy();
  });

  it('stops a running execution and lists executions by status', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'stopped', input: '{}' }));
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'user asked' }));
    await endpoint.registry.drain();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'ABORTED' }));
    expect(aborted.executions!.map((e) => e.name)).toEqual(['stopped']);
  });

  it('answers unknown executions and machines with the service error names', async () => {
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${machineArn}:nope` }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}-other`, input: '{}' }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'bad name!', input: '{}' }))).rejects.toMatchObject({ name: 'InvalidName' });
  });
});
