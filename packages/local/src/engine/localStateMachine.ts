import './promiseWithResolvers';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition, type RunOptions } from 'aws-local-stepfunctions';
import { assertRunnableLocally } from './definitionChecks';
import { forEachState, type MachineDefinition } from './definitionWalk';
import { runDistributedMap, type ChildExecution, type ChildExecutionRequest } from './distributedMap';
import { substituteDistributedMaps } from './distributedMapSubstitution';
import { ExecutionEventLog, type ExecutionEvent, type ExecutionEventListener } from './executionEvents';
import { lambdaStyleTask, type TaskHandler } from './lambdaStyleTask';
import { NamedError } from './namedError';

// Runs an ASL definition on this machine with aws-local-stepfunctions: Task states bind by
// STATE NAME to Lambda-style handlers, Distributed Maps run through the project's adapter,
// and every step lands in an event log that a local Step Functions endpoint can serve.

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface RunStateMachineOptions {
  definition: object;
  /** Handlers by Task state name (the definition's Resource ARNs are never called). */
  taskHandlers: Record<string, TaskHandler>;
  readObject(bucket: string, key: string): Promise<string>;
  writeObject(bucket: string, key: string, body: string): Promise<void>;
  input: unknown;
  /** Execution name (≤ 80 chars on AWS); a UUID when omitted. */
  name?: string;
  stateMachineName?: string;
  onEvent?: ExecutionEventListener;
  /** Milliseconds to wait before a retry, by state name (the library's override; tests use 0). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  waitTimeOverrides?: Record<string, number>;
  /** Upper bound on Distributed Map children in flight (MaxConcurrency 0 means unlimited on AWS). */
  concurrencyCap?: number;
}

export interface LocalExecution {
  executionArn: string;
  name: string;
  startDate: Date;
  /** Resolves with the output; rejects with ExecutionFailedError (name = AWS error name). */
  result: Promise<unknown>;
  abort(): void;
  /** Live, append-only: also holds the events of Distributed Map children (their own executionArn). */
  events: readonly ExecutionEvent[];
  subscribe(listener: ExecutionEventListener): () => void;
  status(): ExecutionStatus;
}

/** How an execution ended badly; `name` is the error name a Catch would match. */
export class ExecutionFailedError extends NamedError {
  constructor(
    readonly error: string,
    readonly causeText: string,
    readonly status: Exclude<ExecutionStatus, 'RUNNING' | 'SUCCEEDED'>,
  ) {
    super(error, causeText);
  }
}

const localRegion = 'us-east-1';
const localAccount = '000000000000';
const validatedDefinitions = new WeakSet<object>();

export function runStateMachine(options: RunStateMachineOptions): LocalExecution {
  const definition = options.definition as MachineDefinition;
  assertRunnableLocally(definition, new Set(Object.keys(options.taskHandlers)));
  // The library's validator (asl-validator 3) checks paths, ARNs and reachability on the
  // original definition; the substituted one is then run unvalidated. Validators mutate
  // (they add QueryLanguage), hence the copy.
  // Validation compiles JSON schemas (~1 s): once per definition object is enough.
  if (!validatedDefinitions.has(definition)) {
    new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition);
    validatedDefinitions.add(definition);
  }

  const stateMachineName = options.stateMachineName ?? 'local';
  const name = options.name ?? randomUUID();
  const log = new ExecutionEventLog();
  if (options.onEvent) log.subscribe(options.onEvent);
  return startExecution(options, {
    definition,
    input: options.input,
    name,
    executionArn: `arn:aws:states:${localRegion}:${localAccount}:execution:${stateMachineName}:${name}`,
    stateMachineArn: `arn:aws:states:${localRegion}:${localAccount}:stateMachine:${stateMachineName}`,
    stateMachineName,
    log,
  });
}

interface ExecutionIdentity {
  definition: MachineDefinition;
  input: unknown;
  name: string;
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  log: ExecutionEventLog;
  parentSignal?: AbortSignal;
}

function startExecution(options: RunStateMachineOptions, identity: ExecutionIdentity): LocalExecution {
  const { log, executionArn } = identity;
  const startDate = new Date();
  const abortController = new AbortController();
  const signal = identity.parentSignal ? AbortSignal.any([abortController.signal, identity.parentSignal]) : abortController.signal;
  const context = {
    Execution: { Id: executionArn, Name: identity.name, Input: identity.input, StartTime: startDate.toISOString() },
    StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
  };

  const { definition, distributedMaps } = substituteDistributedMaps(identity.definition);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  forEachState(definition, (stateName, state) => {
    const handler = options.taskHandlers[stateName];
    if (state.Type === 'Task' && handler && !distributedMaps.has(stateName)) handlers[stateName] = lambdaStyleTask(stateName, state, handler);
  });
  for (const [stateName, mapState] of distributedMaps) {
    handlers[stateName] = (input) =>
      runDistributedMap({
        stateName,
        state: mapState,
        input,
        context,
        mapRunArn: `arn:aws:states:${localRegion}:${localAccount}:mapRun:${identity.stateMachineName}/${stateName}:${randomUUID()}`,
        readObject: options.readObject,
        writeObject: options.writeObject,
        signal,
        concurrencyCap: options.concurrencyCap,
        onProgress: ({ type, details, error }) => log.record({ type, executionArn, state: { name: stateName, type: 'Map' }, mapRun: details, error }),
        startChild: (request) => startChild(options, identity, request, signal),
      });
  }

  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const runOptions: RunOptions = {
    overrides: {
      taskResourceLocalHandlers: handlers as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'],
      retryIntervalOverrides: options.retryIntervalOverrides,
      waitTimeOverrides: options.waitTimeOverrides,
    },
    context: context as RunOptions['context'],
  };
  const execution = machine.run(identity.input as never, runOptions);
  const drained = recordLibraryEvents(execution.eventLogs, log, executionArn, new Set(distributedMaps.keys()));

  let status: ExecutionStatus = 'RUNNING';
  const result = (async () => {
    try {
      const output = await execution.result;
      status = 'SUCCEEDED';
      return output;
    } catch (error) {
      const failure = asExecutionFailure(error);
      status = failure.status;
      throw failure;
    } finally {
      // Readers of `events` after `await result` must see the final event.
      await drained;
    }
  })();
  // Callers may only read events or status; an unobserved rejection must not crash the process.
  result.catch(() => undefined);

  return {
    executionArn,
    name: identity.name,
    startDate,
    result,
    abort: () => {
      abortController.abort();
      execution.abort();
    },
    events: log.events,
    subscribe: (listener) => log.subscribe(listener),
    status: () => status,
  };
}

function startChild(options: RunStateMachineOptions, parent: ExecutionIdentity, request: ChildExecutionRequest, signal: AbortSignal): ChildExecution {
  const child = startExecution(options, {
    definition: request.definition,
    input: request.input,
    name: request.name,
    executionArn: request.executionArn,
    stateMachineArn: parent.stateMachineArn,
    stateMachineName: parent.stateMachineName,
    log: parent.log,
    parentSignal: signal,
  });
  return { result: child.result, abort: child.abort };
}

function asExecutionFailure(error: unknown): ExecutionFailedError {
  if (error instanceof Error && error.name === 'ExecutionAbortedError') return new ExecutionFailedError('ExecutionAborted', 'The execution was aborted', 'ABORTED');
  if (error instanceof Error && error.name === 'ExecutionTimeoutError') return new ExecutionFailedError('States.Timeout', 'The execution timed out', 'TIMED_OUT');
  // The library wraps the state's error (a handler's Error, a Fail state, States.*) in ExecutionError.
  const cause = error instanceof Error && error.name === 'ExecutionError' && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return new ExecutionFailedError(cause.name, cause.message, 'FAILED');
  return new ExecutionFailedError('Error', String(cause), 'FAILED');
}

type LibraryEvent = Record<string, unknown> & { type: string; timestamp: number };

async function recordLibraryEvents(
  events: AsyncGenerator<unknown>,
  log: ExecutionEventLog,
  executionArn: string,
  distributedMapNames: ReadonlySet<string>,
): Promise<void> {
  for await (const raw of events) {
    const event = raw as LibraryEvent;
    const state = event.state as { name: string; type: string; input?: unknown; output?: unknown } | undefined;
    const parentState = event.parentState as { name: string } | undefined;
    const error = typeof event.Error === 'string' ? { Error: event.Error, Cause: causeText(event.Cause) } : undefined;
    log.record({
      type: event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : (event.type as ExecutionEvent['type']),
      timestamp: event.timestamp,
      executionArn,
      // A substituted Distributed Map is a Task to the library; readers should see a Map.
      ...(state ? { state: { name: state.name, type: distributedMapNames.has(state.name) ? 'Map' : state.type } } : {}),
      ...('input' in event ? { input: event.input } : state && 'input' in state ? { input: state.input } : {}),
      ...('output' in event ? { output: event.output } : state && 'output' in state ? { output: state.output } : {}),
      ...(error ? { error } : {}),
      ...(event.retry ? { retry: { attempt: (event.retry as { attempt: number }).attempt } } : {}),
      ...(parentState || typeof event.index === 'number'
        ? { iteration: { parentState: parentState?.name ?? '', ...(typeof event.index === 'number' ? { index: event.index } : {}) } }
        : {}),
    });
  }
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}

export type { TaskHandler, LambdaStyleContext } from './lambdaStyleTask';
export type { ExecutionEvent, ExecutionEventListener } from './executionEvents';
