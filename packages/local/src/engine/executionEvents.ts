// The event log of a local execution: what a local DescribeExecution / GetExecutionHistory
// endpoint and the web page's execution view read. It is project-owned (not the library's
// event types) so the library can be swapped without touching its readers.

export type ExecutionEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'StateEntered'
  | 'StateExited'
  | 'StateFailed'
  | 'StateRetried'
  | 'StateCaught'
  // inline Map iterations and Parallel branches (run by the library itself)
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'ParallelBranchStarted'
  | 'ParallelBranchSucceeded'
  | 'ParallelBranchFailed'
  // Distributed Map runs (run by the project's adapter); each item is a child execution
  | 'MapRunStarted'
  | 'MapItemStarted'
  | 'MapItemSucceeded'
  | 'MapItemFailed'
  | 'MapRunSucceeded'
  | 'MapRunFailed';

export interface ExecutionErrorInfo {
  Error: string;
  Cause: string;
}

export interface MapRunEventDetails {
  mapRunArn: string;
  /** Name of the Distributed Map state. */
  stateName: string;
  /** Number of child executions (after batching); on MapRunStarted. */
  itemCount?: number;
  /** Child index; on MapItem* events. */
  index?: number;
  childExecutionArn?: string;
  /** Counts so far; on MapItem* and MapRun{Succeeded,Failed}. */
  succeeded?: number;
  failed?: number;
}

export interface ExecutionEvent {
  /** 1-based, in recording order, unique within one log (like GetExecutionHistory ids). */
  id: number;
  /** Epoch milliseconds. */
  timestamp: number;
  type: ExecutionEventType;
  /** The execution the event belongs to: a Distributed Map child's own ARN for its events. */
  executionArn: string;
  state?: { name: string; type: string };
  input?: unknown;
  output?: unknown;
  error?: ExecutionErrorInfo;
  /** On StateRetried: 1 for the first retry. */
  retry?: { attempt: number };
  /** Inline Map iteration index / Parallel branch parent, as the library reports them. */
  iteration?: { parentState: string; index?: number };
  mapRun?: MapRunEventDetails;
}

export type ExecutionEventListener = (event: ExecutionEvent) => void;

/** Append-only list of events with listeners; shared by an execution and its Map children. */
export class ExecutionEventLog {
  readonly events: ExecutionEvent[] = [];
  private readonly listeners = new Set<ExecutionEventListener>();

  record(event: Omit<ExecutionEvent, 'id' | 'timestamp'> & { timestamp?: number }): ExecutionEvent {
    const recorded: ExecutionEvent = { ...event, id: this.events.length + 1, timestamp: event.timestamp ?? Date.now() };
    this.events.push(recorded);
    for (const listener of this.listeners) {
      // A broken listener (a closed HTTP stream, say) must not break the execution.
      try {
        listener(recorded);
      } catch {
        /* ignored on purpose */
      }
    }
    return recorded;
  }

  subscribe(listener: ExecutionEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
