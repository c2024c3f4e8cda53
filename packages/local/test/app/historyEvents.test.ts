import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../src/engine/executionEvents';
import { historyEventsOf } from '../../src/app/historyEvents';

const arn = 'arn:aws:states:us-east-1:000000000000:execution:m:e1';
const event = (fields: Partial<ExecutionEvent>): ExecutionEvent => ({ id: 1, timestamp: 0, type: 'StateEntered', executionArn: arn, ...fields });

describe('engine events as GetExecutionHistory events', () => {
  it('turns a Task into Entered, Scheduled, Started, Succeeded, Exited with JSON strings', () => {
    const entered = historyEventsOf(event({ type: 'StateEntered', state: { name: 'Split', type: 'Task' }, input: { a: 1 } }), arn);
    const exited = historyEventsOf(event({ type: 'StateExited', state: { name: 'Split', type: 'Task' }, output: { b: 2 } }), arn);
    expect([...entered, ...exited].map((e) => e.type)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
    expect(entered[0]).toEqual({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Split', input: '{"a":1}' } });
    expect(exited[1]).toEqual({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'Split', output: '{"b":2}' } });
  });

  it('names other states by their type, maps Map runs and failures, and drops child executions', () => {
    expect(historyEventsOf(event({ state: { name: 'HasConversations', type: 'Choice' } }), arn)[0].type).toBe('ChoiceStateEntered');
    expect(historyEventsOf(event({ state: { name: 'ProcessChunks', type: 'Map' } }), arn)[0].type).toBe('MapStateEntered');
    expect(historyEventsOf(event({ type: 'MapRunStarted', mapRun: { mapRunArn: 'mr', stateName: 'ProcessChunks' } }), arn)).toEqual([
      { type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn: 'mr' } },
    ]);
    expect(historyEventsOf(event({ type: 'StateFailed', state: { name: 'Split', type: 'Task' }, error: { Error: 'E', Cause: 'c' } }), arn)[0]).toMatchObject({
      type: 'TaskFailed',
      taskFailedEventDetails: { error: 'E', cause: 'c' },
    });
    expect(historyEventsOf(event({ executionArn: `${arn}/child` }), arn)).toEqual([]);
    expect(historyEventsOf(event({ type: 'ExecutionSucceeded' }), arn)).toEqual([]);
  });
});
