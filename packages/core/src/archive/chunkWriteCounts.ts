// What writing a chunk of conversations counts (writeConversations.ts).

/**
 * What writing a chunk counts, named as the import job names its counters (importJob.ts builds
 * its list from this one), so a chunk's counts are added to the job as they are.
 * `objects_offloaded`: objects written to S3 (a retry that rewrites the same key counts again).
 */
export const chunkWriteCountNames = [
  'conversations_created',
  'conversations_updated',
  'conversations_unchanged',
  'conversations_skipped_stale',
  'conversations_failed',
  'messages_put',
  'messages_deleted',
  'objects_offloaded',
] as const;

export type ChunkWriteCountName = (typeof chunkWriteCountNames)[number];

export type ChunkWriteCounts = Record<ChunkWriteCountName, number> & {
  /** Obsolete offloaded objects removed after a commit (the store's own figure, not the job's). */
  objects_deleted: number;
};

export function emptyChunkWriteCounts(): ChunkWriteCounts {
  const counts = Object.fromEntries(chunkWriteCountNames.map((name) => [name, 0])) as Record<ChunkWriteCountName, number>;
  return { ...counts, objects_deleted: 0 };
}
