// A conversation's postings, pure: for every term, the messages (by position) it occurs in and
// at which token ordinals. The ordinals decide phrases and CJK words (adjacent terms) from the
// index alone, so a query never reads message text to check one.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { tokenize } from './searchText';

/** term → message position → the term's token ordinals in that message, ascending */
export type ConversationPostings = Map<string, Map<number, number[]>>;

export function conversationPostings(conversation: Pick<NormalizedConversation, 'messages'>): ConversationPostings {
  const postings: ConversationPostings = new Map();
  for (const message of conversation.messages) {
    for (const { term, ordinal } of tokenize(message.text)) {
      let byMessage = postings.get(term);
      if (!byMessage) postings.set(term, (byMessage = new Map()));
      const ordinals = byMessage.get(message.position);
      if (ordinals) ordinals.push(ordinal);
      else byMessage.set(message.position, [ordinal]);
    }
  }
  return postings;
}
