// Item keys of the Imports table (see store/tableSchemas: partition `USER#<userId>`).

/** Identifies one import job. */
export interface JobKey {
  userId: string;
  importId: string;
}

export const importsTableKeys = {
  partition: (userId: string) => `USER#${userId}`,
  job: (importId: string) => `IMPORT#${importId}`,
  /** Every job item of a user, and nothing else (chunk markers sort under CHUNK#). */
  jobPrefix: 'IMPORT#',
  /**
   * Marker saying one chunk's result was counted. Kept out of the `IMPORT#` range so listing a
   * user's jobs never reads through thousands of markers.
   */
  chunkResult: (importId: string, chunkIndex: number) => `CHUNK#${importId}#${String(chunkIndex).padStart(6, '0')}`,
  lock: 'LOCK',
} as const;

export function jobItemKey(job: JobKey): { pk: string; sk: string } {
  return { pk: importsTableKeys.partition(job.userId), sk: importsTableKeys.job(job.importId) };
}
