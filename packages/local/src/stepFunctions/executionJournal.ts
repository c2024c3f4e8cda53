// The local engine's executions on disk (`<dataDir>/executions/`), so "Workflow steps" and
// DescribeExecution survive a restart as they do on AWS. One append-only JSONL file per execution:
// its start, every history event, its close. Written synchronously, record by record: a process
// killed mid-import loses at most the line being written, and the start line is always there.

import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Execution, ExecutionStatus, HistoryEvent, HistoryEventInput } from './executionRegistry';

type JournalRecord =
  | { started: Pick<Execution, 'executionArn' | 'stateMachineArn' | 'name' | 'input'> & { startDate: string } }
  | { event: HistoryEventInput & { id: number; previousEventId: number; timestamp: string } }
  | { closed: { status: ExecutionStatus; stopDate: string; output?: string; error?: string; cause?: string } };

/** An execution as read back: everything but the live parts (its promise, its abort switch). */
export type JournaledExecution = Omit<Execution, 'settled' | 'abort'>;

export class ExecutionJournal {
  private readonly files = new Map<string, number>();

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  started(execution: Execution): void {
    const { executionArn, stateMachineArn, name, input } = execution;
    this.write(executionArn, { started: { executionArn, stateMachineArn, name, input, startDate: execution.startDate.toISOString() } });
  }

  event(executionArn: string, event: HistoryEvent): void {
    this.write(executionArn, { event: { ...event, timestamp: event.timestamp.toISOString() } });
  }

  closed(execution: Pick<Execution, 'executionArn' | 'status' | 'stopDate' | 'output' | 'error' | 'cause'>): void {
    const { status, output, error, cause } = execution;
    this.write(execution.executionArn, { closed: { status, stopDate: (execution.stopDate ?? new Date()).toISOString(), output, error, cause } });
  }

  /** Stops writing an execution's file (it has ended and its last event is written). */
  release(executionArn: string): void {
    const fd = this.files.get(executionArn);
    if (fd === undefined) return;
    this.files.delete(executionArn);
    closeSync(fd);
  }

  /** Every execution on disk, as last recorded (one cut short by a kill keeps what was written). */
  load(): JournaledExecution[] {
    const executions: JournaledExecution[] = [];
    for (const file of readdirSync(this.directory).filter((name) => name.endsWith('.jsonl')).sort()) {
      const execution = replay(readFileSync(join(this.directory, file), 'utf8'));
      if (execution) executions.push(execution);
    }
    return executions;
  }

  private write(executionArn: string, record: JournalRecord): void {
    let fd = this.files.get(executionArn);
    if (fd === undefined) {
      fd = openSync(this.pathOf(executionArn), 'a');
      this.files.set(executionArn, fd);
    }
    writeSync(fd, JSON.stringify(record) + '\n');
  }

  /** `…:execution:<state machine>:<name>` → `<state machine>.<name>.jsonl` (both are [A-Za-z0-9_-]). */
  private pathOf(executionArn: string): string {
    const [stateMachine, name] = executionArn.split(':').slice(-2);
    return join(this.directory, `${stateMachine}.${name}.jsonl`);
  }
}

function replay(text: string): JournaledExecution | null {
  let execution: JournaledExecution | null = null;
  for (const line of text.split('\n')) {
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // an empty or half-written last line
    }
    if ('started' in record) {
      const { startDate, ...fields } = record.started;
      execution = { ...fields, status: 'RUNNING', startDate: new Date(startDate), history: [] };
    } else if (execution && 'event' in record) {
      const { timestamp, ...event } = record.event;
      execution.history.push({ ...event, timestamp: new Date(timestamp) } as HistoryEvent);
    } else if (execution && 'closed' in record) {
      const { stopDate, ...closed } = record.closed;
      Object.assign(execution, closed, { stopDate: new Date(stopDate) });
    }
  }
  return execution;
}
