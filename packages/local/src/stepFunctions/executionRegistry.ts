// The executions of the local Step Functions endpoint: AWS's naming rules and idempotency, status,
// and history in the service's own event shape, so clients (start-import, the web page) read the
// same fields locally as on AWS.

import type { ExecutionJournal } from './executionJournal';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One history event as the engine reports it: AWS's `type` plus its `…EventDetails`. */
export interface HistoryEventInput {
  type: string;
  [details: string]: unknown;
}

export interface HistoryEvent extends HistoryEventInput {
  id: number;
  previousEventId: number;
  timestamp: Date;
}

/** Runs one execution; `report` appends history events, the promise settles with the output. */
export type ExecutionRunner = (run: {
  executionArn: string;
  name: string;
  input: unknown;
  report(event: HistoryEventInput): void;
  signal: AbortSignal;
}) => Promise<unknown>;

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  settled: Promise<void>;
  abort: AbortController;
}

export class StepFunctionsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

const validName = /^[A-Za-z0-9_-]{1,80}$/;

/** Called once when an execution closes (EventBridge's "Execution Status Change", locally). */
export type StatusChangeListener = (execution: Execution) => void;

/** The error an execution still RUNNING in a previous process is closed with: the engine cannot resume it. */
export const localSystemStopped = { error: 'LocalSystemStopped', cause: 'the local system stopped during the execution' } as const;

export class ExecutionRegistry {
  private readonly machines = new Map<string, ExecutionRunner>();
  private readonly executions = new Map<string, Execution>();
  private readonly listeners: StatusChangeListener[] = [];

  /** With a journal, executions are kept on disk and `restore()` reads them back after a restart. */
  constructor(private readonly journal?: ExecutionJournal) {}

  onStatusChange(listener: StatusChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Reads the journal's executions back. Those still RUNNING died with the process that ran them:
   * they are closed ABORTED (LocalSystemStopped), as their history then says. Returns those.
   */
  restore(): Execution[] {
    if (!this.journal) return [];
    const interrupted: Execution[] = [];
    for (const stored of this.journal.load()) {
      if (this.executions.has(stored.executionArn)) continue;
      const execution: Execution = { ...stored, settled: Promise.resolve(), abort: new AbortController() };
      this.executions.set(execution.executionArn, execution);
      if (execution.status === 'RUNNING') {
        execution.error = localSystemStopped.error;
        execution.cause = localSystemStopped.cause;
        this.finish(execution, 'ABORTED', { type: 'ExecutionAborted', executionAbortedEventDetails: { ...localSystemStopped } }, false);
        interrupted.push(execution);
      }
    }
    return interrupted;
  }

  register(stateMachineArn: string, runner: ExecutionRunner): void {
    this.machines.set(stateMachineArn, runner);
  }

  /**
   * AWS: the same name and input while the execution runs returns it again (idempotent); a closed
   * execution of that name, or a different input, is ExecutionAlreadyExists.
   */
  start(stateMachineArn: string, name: string | undefined, input: string | undefined): Execution {
    const runner = this.machines.get(stateMachineArn);
    if (!runner) throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionName = name ?? crypto.randomUUID();
    if (!validName.test(executionName)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${executionName}'`);
    const inputText = input ?? '{}';
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(inputText);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      startDate: new Date(),
      input: inputText,
      history: [],
      settled: Promise.resolve(),
      abort: new AbortController(),
    };
    this.executions.set(executionArn, execution);
    this.journal?.started(execution);
    const report = (event: HistoryEventInput) => {
      // A runner's late report after the execution closed (an aborted task finishing) is dropped.
      if (execution.status === 'RUNNING') this.append(execution, event);
    };
    report({ type: 'ExecutionStarted', executionStartedEventDetails: { input: inputText, roleArn: 'arn:aws:iam::000000000000:role/local' } });
    // A stopped execution is settled at once, as on AWS: a task still running has no say any more.
    const stopped = new Promise<void>((resolve) => execution.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    const ran = runner({ executionArn, name: executionName, input: parsedInput, report, signal: execution.abort.signal }).then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.output = JSON.stringify(output ?? null);
        this.finish(execution, 'SUCCEEDED', { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: execution.output } });
      },
      (failure: unknown) => {
        if (execution.status !== 'RUNNING') return;
        const { error, cause } = errorOf(failure);
        execution.error = error;
        execution.cause = cause;
        const timedOut = error === 'States.Timeout';
        this.finish(execution, timedOut ? 'TIMED_OUT' : 'FAILED', {
          type: timedOut ? 'ExecutionTimedOut' : 'ExecutionFailed',
          executionFailedEventDetails: { error, cause },
        });
      },
    );
    execution.settled = Promise.race([ran, stopped]);
    return execution;
  }

  describe(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  list(stateMachineArn: string, statusFilter?: ExecutionStatus): Execution[] {
    if (!this.machines.has(stateMachineArn)) {
      throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (!statusFilter || e.status === statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  stop(executionArn: string, error?: string, cause?: string): Execution {
    const execution = this.describe(executionArn);
    if (execution.status === 'RUNNING') {
      execution.error = error;
      execution.cause = cause;
      this.finish(execution, 'ABORTED', { type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } });
      execution.abort.abort();
    }
    return execution;
  }

  /** Waits for every running execution to settle (tests and shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.settled));
  }

  /** Closes an execution with its last history event; listeners hear of it (not for restored ones: `restore()` returns them). */
  private finish(execution: Execution, status: ExecutionStatus, event: HistoryEventInput, notify = true): void {
    execution.status = status;
    execution.stopDate = new Date();
    this.append(execution, event);
    this.journal?.closed(execution);
    this.journal?.release(execution.executionArn);
    if (!notify) return;
    for (const listener of this.listeners) {
      try {
        listener(execution);
      } catch (error) {
        process.stderr.write(`execution status listener failed: ${(error as Error).message}\n`);
      }
    }
  }

  private append(execution: Execution, event: HistoryEventInput): void {
    const id = execution.history.length + 1;
    const recorded = { ...event, id, previousEventId: id - 1, timestamp: new Date() };
    execution.history.push(recorded);
    this.journal?.event(execution.executionArn, recorded);
  }
}

function errorOf(failure: unknown): { error: string; cause: string } {
  if (failure instanceof Error) return { error: failure.name || 'Error', cause: failure.message };
  return { error: 'Error', cause: String(failure) };
}
