// A snippet of a message around its first match, with the matched words as ranges into the
// snippet. Plain text plus ranges, never markup: message text is untrusted, and each client
// (the page with <mark> around text nodes, the CLI with brackets) highlights it safely.

import { phraseAt, type ParsedSearchQuery } from './searchQuery';
import { tokenize, type SearchToken } from './searchText';

export interface SearchSnippet {
  text: string;
  /** [start, end) UTF-16 offsets into `text`, sorted, not overlapping. */
  highlights: [number, number][];
}

const BEFORE = 60;
const LENGTH = 220;

export function searchSnippet(messageText: string, query: ParsedSearchQuery): SearchSnippet {
  const tokens = tokenize(messageText);
  const terms = tokens.map((token) => token.term);
  const matched: SearchToken[] = [];
  for (const phrase of query.phrases) {
    for (let at = phraseAt(phrase.terms, terms); at >= 0; at = phraseAt(phrase.terms, terms, at + 1)) {
      matched.push(...tokens.slice(at, at + phrase.terms.length));
    }
  }
  matched.sort((a, b) => a.start - b.start);
  const first = matched[0]?.start ?? 0;

  let start = Math.max(0, first - BEFORE);
  // Start at a word boundary, not inside one.
  while (start > 0 && start < first && /\S/u.test(messageText[start - 1]!)) start += 1;
  let end = Math.min(messageText.length, start + LENGTH);
  while (end < messageText.length && end > first && /\S/u.test(messageText[end]!) && end - start < LENGTH + 30) end += 1;

  // Collapse whitespace, keeping a map from original offsets to snippet offsets.
  const prefix = start > 0 ? '…' : '';
  let text = prefix;
  const offsetOf = new Map<number, number>();
  let lastWasSpace = false;
  for (let index = start; index < end; index += 1) {
    offsetOf.set(index, text.length);
    const char = messageText[index]!;
    if (/\s/u.test(char)) {
      if (!lastWasSpace) text += ' ';
      lastWasSpace = true;
    } else {
      text += char;
      lastWasSpace = false;
    }
  }
  offsetOf.set(end, text.length);
  if (end < messageText.length) text += '…';

  const highlights: [number, number][] = [];
  for (const token of matched) {
    if (token.start < start || token.end > end) continue;
    const range: [number, number] = [offsetOf.get(token.start)!, offsetOf.get(token.end)!];
    const last = highlights.at(-1);
    // Bigrams overlap and phrase words sit side by side: one mark for the run.
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else highlights.push(range);
  }
  return { text, highlights };
}
