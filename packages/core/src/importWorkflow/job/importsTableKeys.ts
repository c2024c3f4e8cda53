// The Imports table's key attributes and key prefixes, defined once (archive/tableSchemas.ts
// builds the table from them), and its item keys: partition `USER#<userId>`, items
// `IMPORT#<importId>`, `CHUNK#<importId>#<chunk>` and `LOCK`.

/** The key attributes, and the TTL attribute (epoch seconds) that removes chunk markers and dead locks. */
export const importsTableAttributes = {
  partitionKey: 'pk',
  sortKey: 'sk',
  expiresAt: 'expires_at',
} as const;

/** The primary key of any item of the table. */
export type ImportsItemKey = Record<typeof importsTableAttributes.partitionKey | typeof importsTableAttributes.sortKey, string>;

/** Identifies one import job. */
export interface JobKey {
  userId: string;
  importId: string;
}

const USER_PREFIX = 'USER#';
const JOB_PREFIX = 'IMPORT#';

export const importsTableKeys = {
  partition: (userId: string) => `${USER_PREFIX}${userId}`,
  job: (importId: string) => `${JOB_PREFIX}${importId}`,
  /** Every job item of a user, and nothing else (chunk markers sort under CHUNK#). */
  jobPrefix: JOB_PREFIX,
  /**
   * Marker saying one chunk's result was counted. Kept out of the `IMPORT#` range so listing a
   * user's jobs never reads through thousands of markers.
   */
  chunkResult: (importId: string, chunkIndex: number) => `CHUNK#${importId}#${String(chunkIndex).padStart(6, '0')}`,
  lock: 'LOCK',
} as const;

export function jobItemKey(job: JobKey): ImportsItemKey {
  return { pk: importsTableKeys.partition(job.userId), sk: importsTableKeys.job(job.importId) };
}

export function chunkResultItemKey(job: JobKey, chunkIndex: number): ImportsItemKey {
  return { pk: importsTableKeys.partition(job.userId), sk: importsTableKeys.chunkResult(job.importId, chunkIndex) };
}
