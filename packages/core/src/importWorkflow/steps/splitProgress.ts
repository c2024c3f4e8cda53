// Split progress on the job, at most about once a second: the reader reports every MiB, which on
// a fast machine would be hundreds of job writes a second.

import { recordSplitProgress } from '../job/jobRepository';
import type { JobKey } from '../job/importsTableKeys';
import { jobContextOf, logImport, type ImportContext } from '../importContext';

export class SplitProgress {
  private lastWrite = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly ctx: ImportContext,
    private readonly job: JobKey,
    private readonly intervalMs = 1000,
  ) {}

  /** A synchronous callback for the reader: at most one write in flight, never awaited here. */
  readonly report = (bytesRead: number, bytesTotal: number): void => {
    const now = Date.now();
    if (this.pending || now - this.lastWrite < this.intervalMs) return;
    this.lastWrite = now;
    this.pending = recordSplitProgress(jobContextOf(this.ctx), this.job, bytesRead, bytesTotal)
      .then(() => undefined)
      .catch((error: unknown) => logImport(this.ctx, 'split progress not recorded', { error: String(error) }))
      .finally(() => {
        this.pending = null;
      });
  };

  /** Waits for the write in flight, so no late progress lands after the split's result. */
  async settle(): Promise<void> {
    await this.pending;
  }
}
