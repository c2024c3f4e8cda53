// How an import ended, decided from its counters when it finalizes.

import type { FinalJobStatus, ImportJob } from './importJob';

export interface JobOutcome {
  status: FinalJobStatus;
  /** Why it FAILED, or what a PARTIAL import missed; null when it SUCCEEDED. */
  reason: string | null;
}

export type OutcomeFields = Pick<ImportJob, 'counts' | 'chunks_total' | 'chunks_done' | 'missing_shards' | 'read_errors'>;

/**
 * `failedChunks` are chunks whose processing was given up (the map tolerated their failure);
 * by default every chunk that did not record a result.
 */
export function decideOutcome(job: OutcomeFields, failedChunks: number = job.chunks_total - job.chunks_done): JobOutcome {
  const { counts } = job;
  const lostChunks = Math.max(0, failedChunks);
  const missing = job.missing_shards.length;
  const readErrors = job.read_errors;
  const written =
    counts.conversations_created +
    counts.conversations_updated +
    counts.conversations_unchanged +
    counts.conversations_skipped_stale;

  if (counts.conversations_total === 0 && job.chunks_total === 0) {
    if (readErrors.length > 0) return failed(`no conversations found: ${readErrors.join('; ')}`);
    return failed(
      missing > 0
        ? `no conversations found: the ${missing} conversation file(s) the export lists are missing (${listShards(job.missing_shards)})`
        : 'no conversations found in the export',
    );
  }
  if (written === 0) {
    if (counts.conversations_failed > 0 && lostChunks === 0) {
      return failed(`all ${counts.conversations_failed} conversations failed`);
    }
    if (lostChunks > 0) {
      return failed(
        lostChunks >= job.chunks_total
          ? `every chunk failed (${job.chunks_total})`
          : `no conversation was imported: ${describeLosses(counts.conversations_failed, lostChunks, job.missing_shards, readErrors)}`,
      );
    }
    return failed('no conversation was imported');
  }
  if (counts.conversations_failed > 0 || lostChunks > 0 || missing > 0 || readErrors.length > 0) {
    return { status: 'PARTIAL', reason: describeLosses(counts.conversations_failed, lostChunks, job.missing_shards, readErrors) };
  }
  return { status: 'SUCCEEDED', reason: null };
}

function describeLosses(
  failedConversations: number,
  lostChunks: number,
  missingShards: readonly string[],
  readErrors: readonly string[],
): string {
  // What the user must fix in the file comes first: the job's error is cut at 500 characters.
  const parts: string[] = [...readErrors];
  if (failedConversations > 0) parts.push(`${failedConversations} conversation(s) failed`);
  if (lostChunks > 0) parts.push(`${lostChunks} chunk(s) failed`);
  if (missingShards.length > 0) parts.push(`${missingShards.length} file(s) missing from the archive (${listShards(missingShards)})`);
  return parts.join('; ');
}

function listShards(shards: readonly string[]): string {
  const shown = shards.slice(0, 5).join(', ');
  return shards.length > 5 ? `${shown}, and ${shards.length - 5} more` : shown;
}

function failed(reason: string): JobOutcome {
  return { status: 'FAILED', reason };
}
