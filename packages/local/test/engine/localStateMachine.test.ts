import { describe, expect, it } from 'vitest';
import { ExecutionFailedError, runStateMachine, type ExecutionEvent } from '../../src/engine/localStateMachine';
import { NamedError } from '../../src/engine/namedError';
import { MemoryObjectStore } from './memoryObjectStore';

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const store = new MemoryObjectStore();
const io = { readObject: store.readObject, writeObject: store.writeObject };

const lockDefinition = {
  StartAt: 'TakeLock',
  States: {
    TakeLock: {
      Type: 'Task',
      Resource: lambda('take-lock'),
      TimeoutSeconds: 10,
      ResultPath: '$.lock',
      Retry: [{ ErrorEquals: ['ImportLockBusy'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'Done',
    },
    Failed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    Done: { Type: 'Succeed' },
  },
};

describe('runStateMachine', () => {
  it('retries a named error without sleeping (retryIntervalOverrides) and records retries', async () => {
    let calls = 0;
    const events: ExecutionEvent[] = [];
    const execution = runStateMachine({
      definition: lockDefinition,
      taskHandlers: {
        TakeLock: async () => {
          if (++calls < 3) throw new NamedError('ImportLockBusy', 'held by another import');
          return { token: 't' };
        },
      },
      ...io,
      input: { importId: 'i1' },
      name: 'i1',
      retryIntervalOverrides: { TakeLock: 0 },
      onEvent: (event) => events.push(event),
    });
    expect(execution.executionArn).toMatch(/:execution:local:i1$/);
    expect(await execution.result).toEqual({ importId: 'i1', lock: { token: 't' } });
    expect(execution.status()).toBe('SUCCEEDED');
    expect(calls).toBe(3);
    const retries = execution.events.filter((event) => event.type === 'StateRetried');
    expect(retries.map((event) => event.retry?.attempt)).toEqual([1, 2]);
    expect(execution.events.filter((event) => event.type === 'StateFailed')[0].error).toEqual({ Error: 'ImportLockBusy', Cause: 'held by another import' });
    // The listener saw exactly the list, in order, with increasing ids.
    expect(events).toEqual(execution.events);
    expect(execution.events.map((event) => event.id)).toEqual(execution.events.map((_, index) => index + 1));
    expect(execution.events[0].type).toBe('ExecutionStarted');
    expect(execution.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('routes an exhausted retry to the Catch, and a Fail state rejects with the error name', async () => {
    const execution = runStateMachine({
      definition: lockDefinition,
      taskHandlers: { TakeLock: async () => Promise.reject(new NamedError('ImportLockBusy', 'still held')) },
      ...io,
      input: {},
      retryIntervalOverrides: { TakeLock: 0 },
    });
    const failure = await execution.result.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExecutionFailedError);
    expect(failure).toMatchObject({ name: 'ImportLockBusy', error: 'ImportLockBusy', causeText: 'still held', status: 'FAILED' });
    expect(execution.status()).toBe('FAILED');
    expect(execution.events.some((event) => event.type === 'StateCaught' && event.state?.name === 'TakeLock')).toBe(true);
    expect(execution.events.at(-1)).toMatchObject({ type: 'ExecutionFailed', error: { Error: 'ImportLockBusy' } });
  });

  it('calls handlers Lambda-style with a context and JSON-only results', async () => {
    let seen: { functionName: string; awsRequestId: string; remaining: number } | undefined;
    const execution = runStateMachine({
      definition: { StartAt: 'TakeLock', States: { TakeLock: { Type: 'Task', Resource: lambda('take-lock'), TimeoutSeconds: 10, ResultPath: '$.lock', End: true } } },
      taskHandlers: {
        TakeLock: async (_event: unknown, context) => {
          seen = { functionName: context.functionName, awsRequestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() };
          return { at: new Date(0), nothing: undefined };
        },
      },
      ...io,
      input: {},
    });
    expect(await execution.result).toEqual({ lock: { at: '1970-01-01T00:00:00.000Z' } });
    expect(seen?.functionName).toBe('take-lock');
    expect(seen?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.remaining).toBeGreaterThan(9_000);
    expect(seen?.remaining).toBeLessThanOrEqual(10_000);
  });

  it('refuses definitions that would misrun locally', () => {
    const run = (definition: object, taskHandlers = {}) => () => runStateMachine({ definition, taskHandlers, ...io, input: {} });
    expect(run(lockDefinition)).toThrow(/TakeLock" has no local handler/);
    const tooLong = { StartAt: 'T', States: { T: { Type: 'Task', Resource: lambda('t'), TimeoutSeconds: 2_147_484, End: true } } };
    expect(run(tooLong, { T: async () => 1 })).toThrow(/setTimeout overflow/);
    const assign = { StartAt: 'P', States: { P: { Type: 'Pass', Assign: { x: 1 }, End: true } } };
    expect(run(assign)).toThrow(/Assign/);
  });

  it('aborts: the result rejects as ABORTED and in-flight Map children stop', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: lambda('slow'), TimeoutSeconds: 30, End: true } } },
          MaxConcurrency: 2,
          End: true,
        },
      },
    };
    let started = 0;
    const execution = runStateMachine({
      definition,
      taskHandlers: { Slow: async () => { started++; await new Promise((resolve) => setTimeout(resolve, 200)); } },
      ...io,
      input: { items: [1, 2, 3, 4, 5, 6] },
    });
    for (let waited = 0; started < 2 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    execution.abort();
    await expect(execution.result).rejects.toMatchObject({ status: 'ABORTED' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBe(2);
    expect(execution.status()).toBe('ABORTED');
  });
});
