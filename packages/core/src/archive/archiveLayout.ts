// The archive's item layout, versioned. Every META carries the layout its messages are stored in
// (`layout`; absent = 1), so readers and writers handle an archive part-way through a migration:
//   1  one `MSG#<position>` item per message (until 2026-12);
//   2  messages in pages: `PAGE#<index>` items of MESSAGES_PER_PAGE consecutive positions.
// The table also holds one marker item saying the whole archive has been migrated, so a system
// starting on it knows without scanning (migrateArchiveLayout.ts), and, on a deployed table
// migrated one user at a time, one per user (migrateUserLayout.ts).

import { userPartition, type ItemKey } from './conversationKeys';

export const CURRENT_LAYOUT = 2;

/**
 * Positions per page. Fixed positions (not bytes) keep page boundaries stable: a thread that
 * grows rewrites only its last page, an edit at position p rewrites the pages from p's onwards
 * (a branch switch changes every later message anyway), and no change can shift the boundaries
 * of the pages before it. 16 × ~1.2 KB ≈ 20 KB: on DynamoDB Local on disk a 20 KB item costs
 * about what a 1 KB one does, and on AWS a page costs ~1.25 write units per message (vs 2 for an
 * item each) while a thread growing by one turn rewrites ~10 KB on average, not 40. A page whose
 * messages exceed the item limit keeps its largest texts in S3 (offloadLargeFields.ts).
 */
export const MESSAGES_PER_PAGE = 16;

/** The marker item: `version` is the layout every conversation of the table is in. */
export const layoutMarkerKey: ItemKey = { pk: 'ARCHIVE', sk: 'LAYOUT' };

/**
 * One user's marker: `version` once every conversation of the user is current, else `cursor`,
 * the byUser index key up to which they are. A partition of its own, built from the validated user id.
 */
export function userLayoutMarkerKey(userId: string): ItemKey {
  return { pk: `${userPartition(userId)}#LAYOUT`, sk: 'LAYOUT' };
}

export function pageIndexOf(position: number): number {
  return Math.floor(position / MESSAGES_PER_PAGE);
}

/** The layout a stored META says its messages are in. */
export function layoutOf(meta: { layout?: number } | undefined | null): number {
  return meta?.layout ?? 1;
}
