// A workflow execution's history (GetExecutionHistory events, the same shape on AWS and from
// the local endpoint) folded into what a person reads: one step per state entered, with when it
// was entered and exited, how long it took, its attempts and its error.

import type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface TimelineError {
  error: string | null;
  cause: string | null;
}

export interface TimelineStep {
  name: string;
  /** The state type: Task, Map, Choice, Pass, Parallel, Succeed, Fail, Wait. */
  type: string;
  enteredAt: string;
  exitedAt: string | null;
  durationMs: number | null;
  /** Task invocations (more than one means retries). */
  attempts: number;
  /** The last failure seen in this step (a retried failure stays visible). */
  error: TimelineError | null;
  /** Set on Distributed Map steps. */
  mapRun: { arn: string | null; status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' } | null;
}

const failureTypes = new Set(['TaskFailed', 'LambdaFunctionFailed', 'TaskTimedOut', 'LambdaFunctionTimedOut', 'MapRunFailed', 'ExecutionFailed', 'TaskStartFailed', 'LambdaFunctionStartFailed']);
const attemptTypes = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);

export function executionTimeline(events: readonly HistoryEvent[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const open: TimelineStep[] = [];
  const current = () => open[open.length - 1] ?? null;
  for (const event of events) {
    const type = event.type ?? '';
    const at = isoOf(event.timestamp);
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails) {
      const step: TimelineStep = {
        name: event.stateEnteredEventDetails.name ?? '',
        type: type.slice(0, -'StateEntered'.length),
        enteredAt: at,
        exitedAt: null,
        durationMs: null,
        attempts: 0,
        error: null,
        mapRun: null,
      };
      steps.push(step);
      open.push(step);
    } else if (type.endsWith('StateExited') && event.stateExitedEventDetails) {
      const name = event.stateExitedEventDetails.name;
      const index = open.map((step) => step.name).lastIndexOf(name ?? '');
      if (index === -1) continue;
      const [step] = open.splice(index, 1);
      step!.exitedAt = at;
      step!.durationMs = Math.max(0, Date.parse(at) - Date.parse(step!.enteredAt));
    } else if (attemptTypes.has(type)) {
      const step = current();
      if (step) step.attempts++;
    } else if (type === 'MapRunStarted') {
      const step = current();
      if (step) step.mapRun = { arn: event.mapRunStartedEventDetails?.mapRunArn ?? null, status: 'RUNNING' };
    } else if (type === 'MapRunSucceeded' || type === 'MapRunAborted') {
      const step = current();
      if (step?.mapRun) step.mapRun.status = type === 'MapRunSucceeded' ? 'SUCCEEDED' : 'ABORTED';
    } else if (failureTypes.has(type)) {
      if (type === 'MapRunFailed') {
        const step = current();
        if (step?.mapRun) step.mapRun.status = 'FAILED';
      }
      const step = type === 'ExecutionFailed' ? null : current();
      if (step) step.error = errorOf(event);
    }
  }
  return steps;
}

function errorOf(event: HistoryEvent): TimelineError {
  const details =
    event.taskFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.mapRunFailedEventDetails ??
    event.taskStartFailedEventDetails ??
    event.lambdaFunctionStartFailedEventDetails;
  return { error: details?.error ?? null, cause: details?.cause ?? null };
}

function isoOf(timestamp: Date | string | number | undefined): string {
  if (timestamp instanceof Date) return timestamp.toISOString();
  if (typeof timestamp === 'number') return new Date(timestamp * 1000).toISOString();
  if (typeof timestamp === 'string') return new Date(timestamp).toISOString();
  return new Date(0).toISOString();
}
