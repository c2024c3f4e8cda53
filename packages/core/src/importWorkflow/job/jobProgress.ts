// The progress bar of an import, derived from the job record alone so that any reader computes
// the same number; it is never stored (counters are bumped by concurrent atomic ADDs, which
// could not keep a stored percentage in step).

import { isFinalStatus, type ImportJob } from './importJob';

/** Each running stage owns a band of the bar; splitting is measured in bytes, processing in chunks. */
export const progressBands = {
  SPLITTING: { from: 0, to: 20 },
  PROCESSING: { from: 20, to: 95 },
  FINALIZING: { from: 95, to: 100 },
} as const;

export type ProgressFields = Pick<ImportJob, 'status' | 'stage' | 'bytes_read' | 'bytes_total' | 'chunks_done' | 'chunks_total'>;

/** An integer 0–100; 100 only once the job ended (whatever its outcome). */
export function jobProgressPercent(job: ProgressFields): number {
  if (isFinalStatus(job.status)) return 100;
  if (job.status !== 'RUNNING' || job.stage === null) return 0;
  const band = progressBands[job.stage];
  const fraction =
    job.stage === 'SPLITTING'
      ? ratio(job.bytes_read, job.bytes_total)
      : job.stage === 'PROCESSING'
        ? ratio(job.chunks_done, job.chunks_total)
        : 0;
  // Floor keeps a stage from showing the next band's first value before it starts.
  return Math.min(band.to - 1, Math.floor(band.from + (band.to - band.from) * fraction));
}

function ratio(done: number, total: number): number {
  if (!(total > 0) || !(done > 0)) return 0;
  return Math.min(1, done / total);
}
