import { describe, expect, it } from 'vitest';
import { allJobPositions, judgeTransition, legalSourcesOf } from './jobTransitions';

describe('judgeTransition', () => {
  it('lets a queued job enter any stage and fail, but not succeed without running', () => {
    const queued = { status: 'QUEUED', stage: null } as const;
    expect(judgeTransition(queued, { to: 'RUNNING', stage: 'SPLITTING' }).legal).toBe(true);
    expect(judgeTransition(queued, { to: 'FAILED' }).legal).toBe(true);
    expect(judgeTransition(queued, { to: 'SUCCEEDED' }).legal).toBe(false);
    expect(judgeTransition(queued, { to: 'PARTIAL' }).legal).toBe(false);
  });

  it('moves stages forward only; re-entering the current stage is a legal retry', () => {
    const processing = { status: 'RUNNING', stage: 'PROCESSING' } as const;
    expect(judgeTransition(processing, { to: 'RUNNING', stage: 'PROCESSING' }).legal).toBe(true);
    expect(judgeTransition(processing, { to: 'RUNNING', stage: 'FINALIZING' }).legal).toBe(true);
    const back = judgeTransition(processing, { to: 'RUNNING', stage: 'SPLITTING' });
    expect(back).toEqual({ legal: false, reason: 'stage SPLITTING comes before the current stage PROCESSING' });
  });

  it('lets a running job skip forward (no chunks: splitting straight to finalizing)', () => {
    expect(judgeTransition({ status: 'RUNNING', stage: 'SPLITTING' }, { to: 'RUNNING', stage: 'FINALIZING' }).legal).toBe(true);
  });

  it('ends a running job in any final status, from any stage', () => {
    for (const stage of ['SPLITTING', 'PROCESSING', 'FINALIZING'] as const) {
      for (const to of ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const) {
        expect(judgeTransition({ status: 'RUNNING', stage }, { to }).legal).toBe(true);
      }
    }
  });

  it('never moves a job out of a final status, not even to the same one', () => {
    for (const status of ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const) {
      const ended = { status, stage: 'FINALIZING' } as const;
      expect(judgeTransition(ended, { to: 'RUNNING', stage: 'FINALIZING' })).toEqual({
        legal: false,
        reason: `the job already ended ${status}`,
      });
      expect(judgeTransition(ended, { to: status }).legal).toBe(false);
      expect(judgeTransition(ended, { to: 'FAILED' }).legal).toBe(false);
    }
  });
});

describe('legalSourcesOf', () => {
  it('lists the positions a conditional write must require', () => {
    expect(legalSourcesOf({ to: 'RUNNING', stage: 'PROCESSING' })).toEqual([
      { status: 'QUEUED', stage: null },
      { status: 'RUNNING', stage: 'SPLITTING' },
      { status: 'RUNNING', stage: 'PROCESSING' },
    ]);
    expect(legalSourcesOf({ to: 'SUCCEEDED' }).map((p) => p.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    expect(legalSourcesOf({ to: 'FAILED' })).toHaveLength(4);
  });

  it('agrees with judgeTransition on every position', () => {
    const move = { to: 'RUNNING', stage: 'SPLITTING' } as const;
    const sources = legalSourcesOf(move);
    for (const position of allJobPositions) {
      expect(sources.includes(position)).toBe(judgeTransition(position, move).legal);
    }
  });
});

describe('redrive', () => {
  it('reopens only a FAILED job, from any stage it ended in', () => {
    for (const position of allJobPositions) {
      const verdict = judgeTransition(position, { to: 'RUNNING', stage: 'PROCESSING', redrive: true });
      expect(verdict.legal, `${position.status}/${position.stage}`).toBe(position.status === 'FAILED');
    }
    expect(legalSourcesOf({ to: 'RUNNING', stage: 'SPLITTING', redrive: true }).every((p) => p.status === 'FAILED')).toBe(true);
  });
});
