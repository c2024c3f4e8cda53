import { describe, expect, it } from 'vitest';
import { jobProgressPercent, type ProgressFields } from './jobProgress';

const base: ProgressFields = { status: 'QUEUED', stage: null, bytes_read: 0, bytes_total: 0, chunks_done: 0, chunks_total: 0 };

describe('jobProgressPercent', () => {
  it('is 0 while queued', () => {
    expect(jobProgressPercent(base)).toBe(0);
  });

  it('measures splitting by bytes in 0–20', () => {
    const splitting = { ...base, status: 'RUNNING', stage: 'SPLITTING' } as const;
    expect(jobProgressPercent({ ...splitting, bytes_read: 0, bytes_total: 1000 })).toBe(0);
    expect(jobProgressPercent({ ...splitting, bytes_read: 500, bytes_total: 1000 })).toBe(10);
    expect(jobProgressPercent({ ...splitting, bytes_read: 1000, bytes_total: 1000 })).toBe(19);
    // unknown total, or more read than announced: never past the band
    expect(jobProgressPercent({ ...splitting, bytes_read: 10, bytes_total: 0 })).toBe(0);
    expect(jobProgressPercent({ ...splitting, bytes_read: 5000, bytes_total: 1000 })).toBe(19);
  });

  it('measures processing by chunks in 20–95', () => {
    const processing = { ...base, status: 'RUNNING', stage: 'PROCESSING', chunks_total: 4 } as const;
    expect(jobProgressPercent({ ...processing, chunks_done: 0 })).toBe(20);
    expect(jobProgressPercent({ ...processing, chunks_done: 2 })).toBe(57);
    expect(jobProgressPercent({ ...processing, chunks_done: 4 })).toBe(94);
    expect(jobProgressPercent({ ...processing, chunks_total: 0 })).toBe(20);
  });

  it('is 95 while finalizing and 100 once ended, whatever the outcome', () => {
    expect(jobProgressPercent({ ...base, status: 'RUNNING', stage: 'FINALIZING' })).toBe(95);
    for (const status of ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const) {
      expect(jobProgressPercent({ ...base, status, stage: 'SPLITTING' })).toBe(100);
    }
  });

  it('never goes down as a job advances', () => {
    const path: ProgressFields[] = [
      base,
      { ...base, status: 'RUNNING', stage: 'SPLITTING', bytes_read: 0, bytes_total: 100 },
      { ...base, status: 'RUNNING', stage: 'SPLITTING', bytes_read: 100, bytes_total: 100 },
      { ...base, status: 'RUNNING', stage: 'PROCESSING', chunks_total: 3, chunks_done: 0 },
      { ...base, status: 'RUNNING', stage: 'PROCESSING', chunks_total: 3, chunks_done: 3 },
      { ...base, status: 'RUNNING', stage: 'FINALIZING' },
      { ...base, status: 'SUCCEEDED', stage: 'FINALIZING' },
    ];
    const percents = path.map(jobProgressPercent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });
});
