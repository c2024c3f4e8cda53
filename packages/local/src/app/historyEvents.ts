import type { ExecutionEvent } from '../engine/executionEvents';
import type { HistoryEventInput } from '../stepFunctions/executionRegistry';

// The engine's project-owned event log, translated into GetExecutionHistory's event shapes, so a
// client of the local endpoint reads the same `type` / `…EventDetails` it would read on AWS.
// Execution start and end are reported by the registry itself; a Distributed Map's child
// executions have their own history on AWS and never appear in the parent's.

const json = (value: unknown) => JSON.stringify(value ?? null);

/** The AWS history events for one engine event of `executionArn` (none for child or execution-level events). */
export function historyEventsOf(event: ExecutionEvent, executionArn: string): HistoryEventInput[] {
  if (event.executionArn !== executionArn) return [];
  const name = event.state?.name ?? '';
  const stateType = event.state?.type ?? 'Task';
  switch (event.type) {
    case 'StateEntered': {
      const entered = { type: `${stateType}StateEntered`, stateEnteredEventDetails: { name, input: json(event.input) } };
      if (stateType !== 'Task') return [entered];
      return [
        entered,
        { type: 'TaskScheduled', taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: json(event.input) } },
        { type: 'TaskStarted', taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' } },
      ];
    }
    case 'StateExited': {
      const exited = { type: `${stateType}StateExited`, stateExitedEventDetails: { name, output: json(event.output) } };
      if (stateType !== 'Task') return [exited];
      return [{ type: 'TaskSucceeded', taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: json(event.output) } }, exited];
    }
    case 'StateFailed':
    case 'StateRetried':
    case 'StateCaught':
      // AWS records each failed attempt as TaskFailed (a retry is the next TaskScheduled); the
      // library reports the failure on every path, so only StateFailed maps to an event.
      if (event.type !== 'StateFailed' || stateType !== 'Task') return [];
      return [{ type: 'TaskFailed', taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: event.error?.Error, cause: event.error?.Cause } }];
    case 'MapRunStarted':
      return [{ type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn: event.mapRun?.mapRunArn } }];
    case 'MapRunSucceeded':
      return [{ type: 'MapRunSucceeded' }];
    case 'MapRunFailed':
      return [{ type: 'MapRunFailed', mapRunFailedEventDetails: { error: event.error?.Error, cause: event.error?.Cause } }];
    default:
      return [];
  }
}
