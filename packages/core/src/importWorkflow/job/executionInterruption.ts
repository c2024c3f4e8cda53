// Whether an import's workflow execution still runs, and if not, what to tell the user. Pure:
// the status comes from DescribeExecution or from an EventBridge status-change event.

/** Step Functions execution statuses, plus UNKNOWN: the engine has no execution of that name. */
export type ObservedExecutionStatus = 'RUNNING' | 'PENDING_REDRIVE' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'UNKNOWN';

export interface ObservedExecution {
  status: ObservedExecutionStatus;
  error?: string | null;
  cause?: string | null;
}

/** The error name the local system stops its executions with (it cannot resume them). */
export const localSystemStoppedError = 'LocalSystemStopped';

export const interruptionReasons = {
  stopped: 'interrupted: the execution was stopped',
  timedOut: 'interrupted: the execution timed out',
  localSystemStopped: 'interrupted: the local system stopped during the import',
  neverStarted: 'interrupted: the local system stopped before the import started',
  failed: 'interrupted: the execution failed before it could record the outcome',
  ended: 'interrupted: the execution ended without recording the outcome',
} as const;

/** Null while the execution may still record the outcome itself; otherwise why the import is over. */
export function interruptionReason(execution: ObservedExecution, job: { status: string }): string | null {
  switch (execution.status) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return null;
    case 'ABORTED':
      return execution.error === localSystemStoppedError ? interruptionReasons.localSystemStopped : interruptionReasons.stopped;
    case 'TIMED_OUT':
      return interruptionReasons.timedOut;
    case 'FAILED': {
      const detail = [execution.error, execution.cause].filter(Boolean).join(': ');
      return detail ? `${interruptionReasons.failed} (${detail})` : interruptionReasons.failed;
    }
    case 'SUCCEEDED':
      return interruptionReasons.ended;
    case 'UNKNOWN':
      // No execution: the local engine lost it with its process (or it never started).
      return job.status === 'QUEUED' ? interruptionReasons.neverStarted : interruptionReasons.localSystemStopped;
  }
}
