// A conversation's postings, pure: for every term, the messages (by position) it occurs in and
// at which token ordinals. The ordinals decide phrases and CJK words (adjacent terms) from the
// index alone, so a query never reads message text to check one.
//
// Each term's entries are one flat array of small integers, in the order a segment line writes
// them (searchSegment.ts): a message starts with its position encoded as -(position + 1), then
// its first ordinal and the gaps to the next ones. No strings, maps or nested arrays per
// occurrence: building those took most of the index build's time and a quarter of it in GC.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { forEachTerm } from './searchText';

/** term → `[-(position + 1), first ordinal, gap, gap…, -(next position + 1), …]`, positions ascending */
export type ConversationPostings = Map<string, number[]>;

/** A message's start in a term's entries. */
export function positionMarker(position: number): number {
  return -(position + 1);
}

interface TermState {
  entries: number[];
  position: number;
  ordinal: number;
}

export function conversationPostings(conversation: Pick<NormalizedConversation, 'messages'>): ConversationPostings {
  const byTerm = new Map<string, TermState>();
  // Messages come in position order, and a message's tokens in ordinal order.
  for (const { position, text } of conversation.messages) {
    forEachTerm(text, (term, ordinal) => {
      const state = byTerm.get(term);
      if (!state) byTerm.set(term, { entries: [positionMarker(position), ordinal], position, ordinal });
      else {
        if (state.position !== position) {
          state.entries.push(positionMarker(position), ordinal);
          state.position = position;
        } else state.entries.push(ordinal - state.ordinal);
        state.ordinal = ordinal;
      }
    });
  }
  const postings: ConversationPostings = new Map();
  for (const [term, state] of byTerm) postings.set(term, state.entries);
  return postings;
}
