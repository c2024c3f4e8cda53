import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalStatus, type ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
import type { JobStoreContext } from '@threadline/core/importWorkflow/job/jobStoreContext';
import { errorClass } from '@threadline/core/errors/errorClass';

export interface FollowOptions {
  /** ~4 reads a second, like the web page's polling. */
  intervalMs?: number;
  /** A job nobody started (no upload event reached start-import) is given up after this long. */
  queuedTimeoutMs?: number;
  onUpdate?(job: ImportJob): void;
  signal?: AbortSignal;
}

export class ImportNotStarted extends errorClass('ImportNotStarted') {}

/** Polls the job record until the import ends; resolves with the final record. */
export async function followImportJob(ctx: JobStoreContext, key: { userId: string; importId: string }, options: FollowOptions = {}): Promise<ImportJob> {
  const interval = options.intervalMs ?? 250;
  const queuedSince = Date.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const job = await getJob(ctx, key);
    if (!job) throw new Error(`import ${key.importId} does not exist`);
    options.onUpdate?.(job);
    if (isFinalStatus(job.status)) return job;
    if (job.status === 'QUEUED' && Date.now() - queuedSince > (options.queuedTimeoutMs ?? 60_000)) {
      throw new ImportNotStarted(`import ${key.importId} was uploaded but never started (is the local system still running?)`);
    }
    await sleep(interval, undefined, { signal: options.signal });
  }
}
