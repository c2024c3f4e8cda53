import { describe, expect, it } from 'vitest';
import { interruptionReason, interruptionReasons, localSystemStoppedError } from './executionInterruption';

describe('interruptionReason', () => {
  const running = { status: 'RUNNING' };

  it('says nothing while the execution can still record the outcome itself', () => {
    expect(interruptionReason({ status: 'RUNNING' }, running)).toBeNull();
    expect(interruptionReason({ status: 'PENDING_REDRIVE' }, running)).toBeNull();
  });

  it('names how the execution ended, in words a user understands', () => {
    expect(interruptionReason({ status: 'ABORTED' }, running)).toBe('interrupted: the execution was stopped');
    expect(interruptionReason({ status: 'ABORTED', error: localSystemStoppedError }, running)).toBe(interruptionReasons.localSystemStopped);
    expect(interruptionReason({ status: 'TIMED_OUT' }, running)).toBe('interrupted: the execution timed out');
    expect(interruptionReason({ status: 'FAILED', error: 'States.Runtime', cause: 'boom' }, running)).toBe(
      'interrupted: the execution failed before it could record the outcome (States.Runtime: boom)',
    );
    expect(interruptionReason({ status: 'SUCCEEDED' }, running)).toBe(interruptionReasons.ended);
  });

  it('blames the stopped local system for an execution the engine does not know', () => {
    expect(interruptionReason({ status: 'UNKNOWN' }, running)).toBe('interrupted: the local system stopped during the import');
    expect(interruptionReason({ status: 'UNKNOWN' }, { status: 'QUEUED' })).toBe(interruptionReasons.neverStarted);
  });
});
