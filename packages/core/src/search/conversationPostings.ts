// A conversation's postings, pure: for every term, the messages (by position) it occurs in and
// how often. Phrases are checked against the message text at query time, so token ordinals are
// not stored: the index stays a few bytes per (term, message), whatever the word's frequency.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { tokenize } from './searchText';

/** term → message position → occurrences */
export type ConversationPostings = Map<string, Map<number, number>>;

export function conversationPostings(conversation: Pick<NormalizedConversation, 'messages'>): ConversationPostings {
  const postings: ConversationPostings = new Map();
  for (const message of conversation.messages) {
    for (const { term } of tokenize(message.text)) {
      let byMessage = postings.get(term);
      if (!byMessage) postings.set(term, (byMessage = new Map()));
      byMessage.set(message.position, (byMessage.get(message.position) ?? 0) + 1);
    }
  }
  return postings;
}
