// A search as a person types it, checked and turned into phrases of terms:
//   iceland trip          two words: both must occur in one message
//   "trip plan" budget    a phrase (adjacent words, in order) and a word
//   東京タワー             a CJK word: its bigrams must be adjacent, like a phrase
// A word with inner punctuation (e-mail, 3.14) is a phrase of its parts. Anything the person
// cannot mean (nothing to find, an unclosed quote, a novel) is a SearchQueryError, which the API
// answers with 400.

import { tokenize } from './searchText';
import { domainError } from '../errors/domainError';

export interface SearchPhrase {
  /** As typed (for messages), e.g. `"trip plan"`. */
  text: string;
  /** Terms that must occur at adjacent ordinals, in this order. */
  terms: string[];
}

export interface ParsedSearchQuery {
  phrases: SearchPhrase[];
  /** Every distinct term of every phrase. */
  terms: string[];
}

export const MAX_QUERY_LENGTH = 500;
/** Hits one request may ask for. */
export const MAX_SEARCH_LIMIT = 100;
/** Each distinct term is one index read: bounded so a query's cost is. */
export const MAX_QUERY_TERMS = 24;

/** A search the person has to change (empty, too long, only punctuation, an open quote, a bad filter). */
export class SearchQueryError extends domainError('SearchQueryError', 'input') {}

const QUOTES = /["“”„]/u;

export function parseSearchQuery(input: string): ParsedSearchQuery {
  if (typeof input !== 'string' || input.trim() === '') throw new SearchQueryError('the search is empty: type a word or a "quoted phrase"');
  if (input.length > MAX_QUERY_LENGTH) {
    throw new SearchQueryError(`the search is ${input.length} characters long; at most ${MAX_QUERY_LENGTH} are allowed`);
  }
  const pieces = input.split(QUOTES);
  // split() on n quotes gives n + 1 pieces: an even count of pieces means an odd count of quotes.
  if (pieces.length % 2 === 0) throw new SearchQueryError('a quote is not closed: every "phrase" needs an opening and a closing quote');

  const phrases: SearchPhrase[] = [];
  pieces.forEach((piece, index) => {
    const quoted = index % 2 === 1;
    const parts = quoted ? [piece] : piece.split(/\s+/u);
    for (const part of parts) {
      const terms = tokenize(part).map((token) => token.term);
      if (terms.length > 0) phrases.push({ text: quoted ? `"${part.trim()}"` : part, terms });
    }
  });
  if (phrases.length === 0) throw new SearchQueryError('the search has no words to find (only punctuation or symbols)');
  const terms = [...new Set(phrases.flatMap((phrase) => phrase.terms))];
  if (terms.length > MAX_QUERY_TERMS) {
    throw new SearchQueryError(`the search has ${terms.length} distinct words; at most ${MAX_QUERY_TERMS} are allowed`);
  }
  return { phrases, terms };
}

/** True when the phrases occur in `termsInOrder` (a message's terms by ordinal), each contiguously. */
export function phrasesOccurIn(phrases: readonly SearchPhrase[], termsInOrder: readonly string[]): boolean {
  return phrases.every((phrase) => phraseAt(phrase.terms, termsInOrder) >= 0);
}

/**
 * True when every phrase occurs in one message whose terms' ordinals `ordinalsOf` gives (each
 * ascending; every term of the phrases occurs there): the i-th term of a phrase at o + i.
 * Starts from the phrase's term with the fewest occurrences, so a common word costs little.
 */
export function phrasesOccurAtOrdinals(phrases: readonly SearchPhrase[], ordinalsOf: (term: string) => readonly number[]): boolean {
  return phrases.every(({ terms }) => {
    if (terms.length < 2) return true;
    const lists = terms.map(ordinalsOf);
    let rarest = 0;
    lists.forEach((list, index) => {
      if (list.length < lists[rarest]!.length) rarest = index;
    });
    return lists[rarest]!.some((ordinal) => lists.every((list, index) => index === rarest || hasOrdinal(list, ordinal - rarest + index)));
  });
}

/** Binary search in an ascending list. */
function hasOrdinal(list: readonly number[], ordinal: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = list[middle]!;
    if (value === ordinal) return true;
    if (value < ordinal) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** The first ordinal where `phrase` starts in `termsInOrder`, or -1. */
export function phraseAt(phrase: readonly string[], termsInOrder: readonly string[], from = 0): number {
  for (let start = from; start + phrase.length <= termsInOrder.length; start += 1) {
    let index = 0;
    while (index < phrase.length && termsInOrder[start + index] === phrase[index]) index += 1;
    if (index === phrase.length) return start;
  }
  return -1;
}
