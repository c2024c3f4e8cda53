// Where a user's search index lives in the Conversations table — under that user's keys only,
// like the rest of the archive (so isolation is structural: every key starts with USER#<userId>):
//
//   USER#<userId>#TERM#<term>   sk <conversationId>#<part>   postings of one term in one conversation
//   USER#<userId>#SEARCH        sk DOC#<conversationId>      what is indexed for that conversation
//
// A term partition is read whole by a query (all conversations with the term); the DOC item is
// the index's commit marker for a conversation (its content_hash) and the list of its terms, so a
// change or delete knows which postings to remove without reading the archive.

import type { ItemKey } from '../store/conversationKeys';
import { assertConversationId, userPartition } from '../store/conversationKeys';

export function termPk(userId: string, term: string): string {
  return `${userPartition(userId)}#TERM#${term}`;
}

export function postingKey(userId: string, term: string, conversationId: string, part: number): ItemKey {
  assertConversationId(conversationId);
  return { pk: termPk(userId, term), sk: `${conversationId}#${part}` };
}

export function searchDocPk(userId: string): string {
  return `${userPartition(userId)}#SEARCH`;
}

export const SEARCH_DOC_SK_PREFIX = 'DOC#';

export function searchDocKey(userId: string, conversationId: string): ItemKey {
  assertConversationId(conversationId);
  return { pk: searchDocPk(userId), sk: `${SEARCH_DOC_SK_PREFIX}${conversationId}` };
}
