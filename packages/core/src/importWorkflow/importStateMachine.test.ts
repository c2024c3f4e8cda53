import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importStateMachineDefinition, importStateNames, lockRetry } from './importStateMachine';
import { workflowErrorNames } from './workflowErrors';

type Validator = (definition: object, options?: object) => { isValid: boolean; errorsText: (separator?: string) => string };
const validateAsl = createRequire(import.meta.url)('asl-validator') as Validator;

const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:threadline-${name}`;
const build = () =>
  importStateMachineDefinition({
    functions: { acquireLock: arn('acquire-lock'), split: arn('split'), processChunk: arn('process-chunk'), finalize: arn('finalize'), markFailed: arn('mark-failed') },
    bucket: 'threadline-imports',
    maxConcurrency: 8,
    toleratedFailurePercentage: 5,
  });

type State = Record<string, unknown> & { Type: string };
function allStates(machine: { States: Record<string, State> }, into: [string, State][] = []): [string, State][] {
  for (const [name, state] of Object.entries(machine.States)) {
    into.push([name, state]);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, State> } | undefined;
    if (processor) allStates(processor, into);
    for (const branch of (state.Branches as { States: Record<string, State> }[] | undefined) ?? []) allStates(branch, into);
  }
  return into;
}

function jsonataOrAssign(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return value.includes('{%') ? [path] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key === 'Assign' || (key === 'QueryLanguage' && child === 'JSONata') ? [`${path}.${key}`] : []),
    ...jsonataOrAssign(child, `${path}.${key}`),
  ]);
}

describe('importStateMachineDefinition', () => {
  it('is valid ASL (asl-validator 4, paths and ARNs checked)', () => {
    // The validator mutates (adds QueryLanguage): give it a copy.
    const result = validateAsl(structuredClone(build()), { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is pure: same options, same object', () => {
    expect(build()).toEqual(build());
  });

  it('has no JSONata, no Assign and no {% anywhere', () => {
    expect(jsonataOrAssign(build())).toEqual([]);
    // the walker itself catches them
    expect(jsonataOrAssign({ a: [{ b: { Assign: {} } }], c: { QueryLanguage: 'JSONata' }, d: '{% $x %}' })).toHaveLength(3);
  });

  it('uses unique state names across the whole definition, including the ItemProcessor', () => {
    const names = allStates(build() as never).map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of Object.values(importStateNames)) expect(names).toContain(name);
  });

  it('gives every Task an explicit timeout below the local setTimeout overflow, and a Catch outside the Map children', () => {
    const definition = build() as unknown as { States: Record<string, State> };
    const childTasks = new Set(Object.keys((definition.States[importStateNames.processChunks].ItemProcessor as { States: object }).States));
    const tasks = allStates(definition).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBe(5);
    for (const [name, task] of tasks) {
      expect(task.TimeoutSeconds, name).toBeTypeOf('number');
      expect(task.TimeoutSeconds as number, name).toBeLessThan(2_147_484);
      // MarkFailed is the catcher; ProcessChunk's failures must count against the tolerance.
      if (name !== importStateNames.markFailed && !childTasks.has(name)) expect(task.Catch, name).toBeDefined();
    }
    expect(definition.States[importStateNames.processChunks].Catch).toBeDefined();
  });

  it('routes every Catch to MarkFailed with the error in $.error (lock wait through a clear message)', () => {
    for (const [name, state] of allStates(build() as never)) {
      for (const catcher of (state.Catch as { Next: string; ResultPath: string }[] | undefined) ?? []) {
        expect(catcher.ResultPath, name).toBe('$.error');
        expect([importStateNames.markFailed, importStateNames.lockWaitExceeded], name).toContain(catcher.Next);
      }
    }
    const states = (build() as unknown as { States: Record<string, State> }).States;
    expect(states[importStateNames.lockWaitExceeded].Next).toBe(importStateNames.markFailed);
    expect(states[importStateNames.noConversations]).toMatchObject({ Type: 'Pass', ResultPath: '$.error', Next: importStateNames.markFailed });
    expect(states[importStateNames.markFailed].Next).toBe(importStateNames.failed);
    expect(states[importStateNames.failed].Type).toBe('Fail');
  });

  it('waits about 15 minutes for a busy lock, then gives up', () => {
    let total = 0;
    for (let attempt = 0; attempt < lockRetry.MaxAttempts; attempt++) {
      total += Math.min(lockRetry.IntervalSeconds * lockRetry.BackoffRate ** attempt, lockRetry.MaxDelaySeconds);
    }
    expect(total / 60).toBeGreaterThan(14);
    expect(total / 60).toBeLessThan(17);
    expect(lockRetry.ErrorEquals).toEqual([workflowErrorNames.lockBusy]);
  });

  it('reads chunks from the manifest as a Distributed Map and hands ResultWriter details to Finalize', () => {
    const map = (build() as unknown as { States: Record<string, State> }).States[importStateNames.processChunks];
    expect(map).toMatchObject({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'threadline-imports', 'Key.$': '$.split.manifestKey' } },
      ItemSelector: { 'chunk.$': '$$.Map.Item.Value', 'importId.$': '$.importId', 'userId.$': '$.userId' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      MaxConcurrency: 8,
      ToleratedFailurePercentage: 5,
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'threadline-imports' } },
      ResultPath: '$.processed',
      Next: importStateNames.finalize,
    });
    expect(map.ItemBatcher).toBeUndefined();
    const child = (map.ItemProcessor as { States: Record<string, State> }).States[importStateNames.processChunk];
    const retriedErrors = (child.Retry as { ErrorEquals: string[]; JitterStrategy?: string }[]).flatMap((retrier) => retrier.ErrorEquals);
    expect(retriedErrors).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException', workflowErrorNames.storeThrottled]));
    expect((child.Retry as { JitterStrategy?: string; MaxDelaySeconds?: number }[])[0]).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: 60 });
  });

  it("checks every Lambda-backed step's output but MarkFailed's, routing a wrong one to the failure path", () => {
    const definition = build() as unknown as { States: Record<string, State> };
    const states = Object.fromEntries(allStates(definition));
    const tasks = allStates(definition).filter(([name, state]) => state.Type === 'Task' && name !== importStateNames.markFailed);
    expect(tasks.map(([name]) => name).sort()).toEqual([importStateNames.acquireLock, importStateNames.finalize, importStateNames.processChunk, importStateNames.split].sort());
    for (const [name, task] of tasks) {
      const check = states[task.Next as string]!;
      expect(check.Type, name).toBe('Choice');
      const [, standIn] = check.Choices as { Next: string; And: { Variable: string; StringMatches?: string }[] }[];
      expect(standIn!.And.find((rule) => rule.StringMatches)?.StringMatches, name).toBe('sst dev is not running*');
      for (const failure of [states[standIn!.Next]!, states[check.Default as string]!]) {
        const error = (failure.Type === 'Fail' ? failure : failure.Result) as { Error: string; Cause: string };
        expect(error.Error, name).toBe(workflowErrorNames.stepOutputInvalid);
        expect(error.Cause.startsWith(name), name).toBe(true);
        // Outside the Map children a wrong output goes where a Catch goes; a child fails (and counts).
        if (failure.Type === 'Pass') expect(failure).toMatchObject({ ResultPath: '$.error', Next: importStateNames.markFailed });
        else expect(name).toBe(importStateNames.processChunk);
      }
      expect(states[standIn!.Next]!.Type === 'Fail' ? states[standIn!.Next]!.Cause : (states[standIn!.Next]!.Result as { Cause: string }).Cause).toContain('the dev session is not running');
    }
  });
});
