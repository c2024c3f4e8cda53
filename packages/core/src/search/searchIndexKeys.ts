// Where a user's search index lives in the Conversations table — under that user's keys only,
// like the rest of the archive (isolation is structural: every key starts with USER#<userId>):
//
//   USER#<userId>#SHARD#<00..63>  sk <segmentId>#<part>       a segment's postings of the terms
//                                                            that hash to this shard (gzipped)
//   USER#<userId>#SHARD#SMALL     sk <segmentId>#0            a small segment whole (all shards
//                                                            in one item; every query reads these)
//   USER#<userId>#SEARCH          sk DOC#<conversationId>     where a conversation's postings are
//                                                            (segment, pending segment, content_hash)
//   USER#<userId>#SEARCHDEAD      sk <segmentId>#<convId>     a segment's entry for a conversation
//                                                            that has since moved or gone
//
// A segment is what one indexing batch (a chunk of the import) wrote: a query for a term reads
// one shard partition (all segments' items for it), so its cost is the index's size / SHARDS.

import type { ItemKey } from '../archive/conversationKeys';
import { assertConversationId, userPartition } from '../archive/conversationKeys';

export const SEARCH_SHARDS = 64;

/** FNV-1a: stable across processes and versions (a shard must not move between writer and reader). */
export function termShard(term: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < term.length; index += 1) {
    hash ^= term.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SEARCH_SHARDS;
}

export function shardPk(userId: string, shard: number): string {
  return `${userPartition(userId)}#SHARD#${String(shard).padStart(2, '0')}`;
}

/** `shard` null: a small segment's one item holding every shard, in a partition every query reads. */
export function segmentItemKey(userId: string, shard: number | null, segmentId: string, part: number): ItemKey {
  return { pk: shard === null ? smallSegmentsPk(userId) : shardPk(userId, shard), sk: `${segmentId}#${part}` };
}

export function smallSegmentsPk(userId: string): string {
  return `${userPartition(userId)}#SHARD#SMALL`;
}

export function searchDocPk(userId: string): string {
  return `${userPartition(userId)}#SEARCH`;
}

export const SEARCH_DOC_SK_PREFIX = 'DOC#';

export function searchDocKey(userId: string, conversationId: string): ItemKey {
  assertConversationId(conversationId);
  return { pk: searchDocPk(userId), sk: `${SEARCH_DOC_SK_PREFIX}${conversationId}` };
}

export function deadPk(userId: string): string {
  return `${userPartition(userId)}#SEARCHDEAD`;
}

export function deadEntryKey(userId: string, segmentId: string, conversationId: string): ItemKey {
  assertConversationId(conversationId);
  return { pk: deadPk(userId), sk: `${segmentId}#${conversationId}` };
}
