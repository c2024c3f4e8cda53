// The job as a DynamoDB item and back: what is stored (no derived progress, no nulls), what a
// stored item reads as (defaults for attributes older items lack), and the capped lists.

import { emptyJobCounts, inlineAssetProblemLimit, type ImportJob, type JobFailure } from './importJob';
import { jobErrorText } from './jobErrorText';
import { jobProgressPercent } from './jobProgress';

/** The attributes a listing reads: everything but the failure list. */
export const summaryAttributes = [
  'import_id', 'user_id', 'status', 'stage', 'stage_message', 'source', 'options', 'created_at', 'started_at', 'interrupted',
  'updated_at', 'finished_at', 'error', 'counts', 'chunks_total', 'chunks_done', 'bytes_total', 'bytes_read',
  'missing_shards', 'read_errors', 'assets_total', 'asset_problems', 'report_key',
] as const;

/** The stored attributes: no derived progress, and no nulls (absent instead, so if_not_exists works). */
export function storedFields(job: ImportJob): Record<string, unknown> {
  const { progress_percent: _derived, ...fields } = job;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

export function jobFromItem(item: Record<string, unknown>): ImportJob {
  const stored = item as Partial<ImportJob>;
  const job: ImportJob = {
    import_id: String(stored.import_id),
    user_id: String(stored.user_id),
    status: stored.status ?? 'QUEUED',
    stage: stored.stage ?? null,
    stage_message: stored.stage_message ?? null,
    source: stored.source ?? { key: '', bytes: 0, name: '' },
    options: { mirror: stored.options?.mirror ?? false },
    created_at: stored.created_at ?? '',
    started_at: stored.started_at ?? null,
    updated_at: stored.updated_at ?? stored.created_at ?? '',
    finished_at: stored.finished_at ?? null,
    error: stored.error ?? null,
    interrupted: stored.interrupted ?? false,
    counts: { ...emptyJobCounts(), ...stored.counts },
    chunks_total: stored.chunks_total ?? 0,
    chunks_done: stored.chunks_done ?? 0,
    bytes_total: stored.bytes_total ?? 0,
    bytes_read: stored.bytes_read ?? 0,
    missing_shards: stored.missing_shards ?? [],
    read_errors: stored.read_errors ?? [],
    assets_total: stored.assets_total ?? 0,
    asset_problems: stored.asset_problems ?? [],
    failures: stored.failures ?? [],
    report_key: stored.report_key ?? null,
    progress_percent: 0,
  };
  job.progress_percent = jobProgressPercent(job);
  return job;
}

/** At most inlineAssetProblemLimit lines, the last saying how many more there were. */
export function cappedProblems(problems: readonly string[]): string[] {
  if (problems.length <= inlineAssetProblemLimit) return problems.map((problem) => jobErrorText(problem));
  const shown = problems.slice(0, inlineAssetProblemLimit - 1).map((problem) => jobErrorText(problem));
  return [...shown, `and ${problems.length - shown.length} more file problem(s) like these`];
}

export function inlineFailure(failure: JobFailure): JobFailure {
  return {
    ...(failure.index !== undefined ? { index: failure.index } : {}),
    conversation_id: failure.conversation_id,
    reason: jobErrorText(failure.reason),
  };
}

