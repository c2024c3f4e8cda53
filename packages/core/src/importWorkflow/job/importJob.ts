// The import job record: what the web page polls while an import runs, and what remains after.

import { chunkWriteCountNames } from '../../archive/chunkWriteCounts';

export const jobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** SUCCEEDED: all written. PARTIAL: some conversations or shards failed, the rest was written. FAILED: nothing usable. */
export const finalJobStatuses = ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const;
export type FinalJobStatus = (typeof finalJobStatuses)[number];

/** The stages of a RUNNING job, in the only order they may be entered. */
export const jobStages = ['SPLITTING', 'PROCESSING', 'FINALIZING'] as const;
export type JobStage = (typeof jobStages)[number];

/**
 * The job's counters, in the order they are shown: JobCounts, the empty counts and the counts a
 * chunk adds all derive from this one list. The archive writer's part (conversations by
 * verdict, messages, offloaded objects) is its own list, so writeConversations returns counts
 * under these very names.
 *   conversations_skipped_stale  kept the stored copy: the incoming one had an older update_time
 *   duplicates          copies of one conversation id seen more than once (across shards); only the newest is written
 *   assets_stored       files of the export written to the archive (new content)
 *   assets_unchanged    files already in the archive (same file, or the same bytes under another file id): nothing written
 *   assets_missing      files the conversations point at that the export does not hold (per chunk's distinct file ids)
 *   conversations_migrated  stored conversations of the user Finalize moved to the current layout (migrateUserLayout.ts)
 */
export const jobCountNames = [
  'conversations_total',
  ...chunkWriteCountNames,
  'duplicates',
  'assets_stored',
  'assets_unchanged',
  'assets_missing',
  'asset_bytes_stored',
  'conversations_migrated',
] as const;

export type JobCountName = (typeof jobCountNames)[number];
export type JobCounts = Record<JobCountName, number>;

/** One conversation (or, with a null id, one whole chunk) that could not be imported. */
export interface JobFailure {
  /** Position of the conversation in its source, when known. */
  index?: number;
  conversation_id: string | null;
  reason: string;
}

/** Only the first failures live on the job item (items are capped at 400 KB); the report has them all. */
export const inlineFailureLimit = 100;
/** Asset problems kept on the job item per split or chunk (the rest are counted in the last line). */
export const inlineAssetProblemLimit = 20;

export interface JobSource {
  /** S3 key of the uploaded export. */
  key: string;
  bytes: number;
  /** The file name the user picked. */
  name: string;
}

export interface JobOptions {
  /** Delete stored conversations the export no longer contains. */
  mirror: boolean;
}

export interface ImportJob {
  import_id: string;
  user_id: string;
  status: JobStatus;
  /** Null until the job runs; a finished job keeps the stage it ended in. */
  stage: JobStage | null;
  stage_message: string | null;
  source: JobSource;
  options: JobOptions;
  /** ISO-8601 UTC. */
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
  /** Why the job FAILED (or a summary of what a PARTIAL job missed); at most 500 characters. */
  error: string | null;
  /** FAILED because its execution stopped without recording an outcome (stopped, timed out, the local system died). */
  interrupted: boolean;
  counts: JobCounts;
  chunks_total: number;
  chunks_done: number;
  bytes_total: number;
  bytes_read: number;
  /** Shards the export's manifest lists but the archive lacks. */
  missing_shards: string[];
  /**
   * What of the export could not be read, one sentence each in the user's terms: the file they
   * uploaded, the file inside it, the byte, and what was imported before it.
   */
  read_errors: string[];
  /** Files of the export the conversations point at and the split planned to copy. */
  assets_total: number;
  /**
   * Files that could not be used as they are, one sentence each (unsafe name, past the limits,
   * two entries for one file id, a name map naming absent files, a type no one knows). They never
   * change the status: the conversations are imported and nothing stored is touched.
   */
  asset_problems: string[];
  /** The first `inlineFailureLimit` failures. */
  failures: JobFailure[];
  /** S3 key of the full failure report, once written. */
  report_key: string | null;
  /** Derived from status, stage, bytes and chunks (see jobProgress); never stored. */
  progress_percent: number;
}

export function emptyJobCounts(): JobCounts {
  return Object.fromEntries(jobCountNames.map((name) => [name, 0])) as JobCounts;
}

export function isFinalStatus(status: JobStatus): status is FinalJobStatus {
  return (finalJobStatuses as readonly JobStatus[]).includes(status);
}

export interface NewImportJob {
  userId: string;
  importId: string;
  source: JobSource;
  options?: Partial<JobOptions>;
  now: Date;
}

/** A QUEUED job, as created when the upload arrives. */
export function newImportJob(input: NewImportJob): ImportJob {
  const at = input.now.toISOString();
  return {
    import_id: input.importId,
    user_id: input.userId,
    status: 'QUEUED',
    stage: null,
    stage_message: null,
    source: { ...input.source },
    options: { mirror: input.options?.mirror ?? false },
    created_at: at,
    started_at: null,
    updated_at: at,
    finished_at: null,
    error: null,
    interrupted: false,
    counts: emptyJobCounts(),
    chunks_total: 0,
    chunks_done: 0,
    bytes_total: input.source.bytes,
    bytes_read: 0,
    missing_shards: [],
    read_errors: [],
    assets_total: 0,
    asset_problems: [],
    failures: [],
    report_key: null,
    progress_percent: 0,
  };
}
