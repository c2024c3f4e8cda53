import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionJournal } from '../../src/stepFunctions/executionJournal';
import { ExecutionRegistry, localSystemStopped, type Execution } from '../../src/stepFunctions/executionRegistry';
import { startStepFunctionsEndpoint } from '../../src/stepFunctions/stepFunctionsEndpoint';

// The local engine's executions outlive the process that ran them: a registry over the same
// journal directory reads them back, as a restarted local system does.
const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:journaled';
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'threadline-journal-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

/** A toy machine: reports a step, then finishes when released, or never (a process that dies). */
function registryWithToyMachine(): { registry: ExecutionRegistry; release(): void } {
  const registry = new ExecutionRegistry(new ExecutionJournal(directory));
  let release = () => undefined as void;
  registry.register(machineArn, async ({ input, report, signal }) => {
    report({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: JSON.stringify(input) } });
    if ((input as { hang?: boolean }).hang) return new Promise((resolve) => signal.addEventListener('abort', () => resolve(null)));
    await new Promise<void>((resolve) => (release = resolve));
    report({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'Work', output: '{"ok":true}' } });
    return { ok: true };
  });
  return { registry, release: () => release() };
}

const comparable = (e: Execution) => ({
  executionArn: e.executionArn,
  name: e.name,
  status: e.status,
  input: e.input,
  output: e.output,
  startDate: e.startDate.toISOString(),
  stopDate: e.stopDate?.toISOString(),
  history: e.history.map((event) => ({ ...event, timestamp: event.timestamp.toISOString() })),
});

describe('execution history on disk', () => {
  it('reads a finished execution back exactly: status, output and every history event', async () => {
    const first = registryWithToyMachine();
    const execution = first.registry.start(machineArn, 'done-1', '{"n":1}');
    first.release();
    await first.registry.drain();
    expect(execution.status).toBe('SUCCEEDED');

    const restarted = new ExecutionRegistry(new ExecutionJournal(directory));
    expect(restarted.restore()).toEqual([]);
    const restored = restarted.describe(execution.executionArn);
    expect(comparable(restored)).toEqual(comparable(execution));
    expect(restored.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('closes an execution the dead process left RUNNING as ABORTED by LocalSystemStopped, and says so in its history', async () => {
    const first = registryWithToyMachine();
    const hanging = first.registry.start(machineArn, 'killed-1', '{"hang":true}');
    // The process "dies" here: nothing more is written for it.
    const restarted = registryWithToyMachine().registry;
    const interrupted = restarted.restore();
    expect(interrupted.map((e) => e.name)).toEqual(['killed-1']);
    const restored = restarted.describe(hanging.executionArn);
    expect(restored).toMatchObject({ status: 'ABORTED', error: localSystemStopped.error, cause: localSystemStopped.cause });
    expect(restored.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionAborted']);
    expect(restored.history.map((e) => e.id)).toEqual([1, 2, 3]);

    // A third start reads the closed record: not aborted twice.
    const third = new ExecutionRegistry(new ExecutionJournal(directory));
    expect(third.restore()).toEqual([]);
    expect(third.describe(hanging.executionArn).history).toHaveLength(3);
    first.registry.stop(hanging.executionArn);
    await first.registry.drain();
  });

  it('serves restored executions through the endpoint; names stay taken; nothing is redrivable locally', async () => {
    const first = registryWithToyMachine();
    const execution = first.registry.start(machineArn, 'served-1', '{}');
    first.release();
    await first.registry.drain();

    const restarted = registryWithToyMachine().registry;
    restarted.restore();
    const endpoint = await startStepFunctionsEndpoint(restarted);
    const sfn = new SFNClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      expect(described).toMatchObject({ status: 'SUCCEEDED', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
      expect(history.events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskStateExited', 'ExecutionSucceeded']);
      await expect(sfn.send(new RedriveExecutionCommand({ executionArn: execution.executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
      expect(() => restarted.start(machineArn, 'served-1', '{}')).toThrow(/Execution Already Exists/);
    } finally {
      sfn.destroy();
      await endpoint.close();
    }
    expect((await readdir(directory)).sort()).toEqual(['journaled.served-1.jsonl']);
  });
});
