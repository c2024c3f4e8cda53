// The import's hook into the search index: after a chunk is written, the conversations the
// archive now holds as given (created, updated, or unchanged — whose index may lag after a crash)
// are indexed; indexConversations skips those already indexed at their content_hash, so an
// unchanged re-import reads the DOC markers and writes nothing. Stale and failed ones are not
// the archive's version and are left alone.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import type { DiffVerdict } from '../archive/planDiff';
import type { StoreContext } from '../archive/storeContext';
import { indexConversations, type IndexWriteCounts } from './indexConversations';

const archived = new Set<DiffVerdict | 'failed'>(['created', 'updated', 'unchanged']);

export function indexWrittenConversations(
  ctx: StoreContext,
  userId: string,
  conversations: readonly NormalizedConversation[],
  outcomes: readonly { conversation_id: string; verdict: DiffVerdict | 'failed' }[],
): Promise<IndexWriteCounts> {
  const verdicts = new Map(outcomes.map((outcome) => [outcome.conversation_id, outcome.verdict]));
  const byId = new Map<string, NormalizedConversation>();
  for (const conversation of conversations) {
    const verdict = verdicts.get(conversation.conversation_id);
    if (verdict && archived.has(verdict)) byId.set(conversation.conversation_id, conversation);
  }
  return indexConversations(ctx, userId, [...byId.values()]);
}
