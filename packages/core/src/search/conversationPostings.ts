// A conversation's postings, pure: for every term, the messages (by position) it occurs in and
// how often. Phrases are checked against the message text at query time, so ordinals are not
// stored: an item stays ~10 bytes per message a term occurs in, whatever the word's frequency.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { tokenize } from './searchText';

/** term → message position → occurrences */
export type ConversationPostings = Map<string, Map<number, number>>;

/** Keeps each posting item far below DynamoDB's 400 KB: a term in more messages spans parts. */
export const MAX_MESSAGES_PER_POSTING = 20_000;

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

/** `position:count,…` in parts of at most MAX_MESSAGES_PER_POSTING messages. */
export function encodePostingParts(byMessage: Map<number, number>): string[] {
  const entries = [...byMessage].sort((a, b) => a[0] - b[0]).map(([position, count]) => `${position}:${count}`);
  const parts: string[] = [];
  for (let start = 0; start < entries.length; start += MAX_MESSAGES_PER_POSTING) {
    parts.push(entries.slice(start, start + MAX_MESSAGES_PER_POSTING).join(','));
  }
  return parts;
}

export function decodePosting(encoded: string, into: Map<number, number> = new Map()): Map<number, number> {
  for (const entry of encoded.split(',')) {
    const colon = entry.indexOf(':');
    into.set(Number(entry.slice(0, colon)), Number(entry.slice(colon + 1)));
  }
  return into;
}
