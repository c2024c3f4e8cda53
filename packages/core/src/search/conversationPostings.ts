// A conversation's postings, pure: for every term, the messages (by position) it occurs in and
// at which token ordinals. The ordinals decide phrases and CJK words (adjacent terms) from the
// index alone, so a query never reads message text to check one.
//
// Each term's entries are written straight in the text a segment line holds (searchSegment.ts):
// `<pos>.<ordinals>` per message, comma-separated, the ordinals as the first then the gaps,
// dot-separated. Building that text as the tokens come (no map of positions, no arrays of
// ordinals to join later) halves the index build's CPU.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { forEachTerm } from './searchText';

/** term → its entries in the conversation: `<pos>.<first>.<gap>…,<pos>.<first>…` in position order */
export type ConversationPostings = Map<string, string>;

interface TermEntries {
  text: string;
  position: number;
  ordinal: number;
}

export function conversationPostings(conversation: Pick<NormalizedConversation, 'messages'>): ConversationPostings {
  const byTerm = new Map<string, TermEntries>();
  // Messages come in position order, and a message's tokens in ordinal order.
  for (const { position, text } of conversation.messages) {
    forEachTerm(text, (term, ordinal) => {
      const entries = byTerm.get(term);
      if (!entries) byTerm.set(term, { text: `${position}.${ordinal}`, position, ordinal });
      else if (entries.position !== position) {
        entries.text += `,${position}.${ordinal}`;
        entries.position = position;
        entries.ordinal = ordinal;
      } else {
        entries.text += `.${ordinal - entries.ordinal}`;
        entries.ordinal = ordinal;
      }
    });
  }
  const postings: ConversationPostings = new Map();
  for (const [term, entries] of byTerm) postings.set(term, entries.text);
  return postings;
}
