import { describe, expect, it } from 'vitest';
import { parseSearchQuery, phrasesOccurAtOrdinals, phrasesOccurIn, SearchQueryError } from './searchQuery';

describe('parseSearchQuery', () => {
  it('words, quoted phrases, inner punctuation and CJK words become phrases of terms', () => {
    expect(parseSearchQuery('Iceland "trip  plan" e-mail 東京タワー').phrases.map((p) => p.terms)).toEqual([
      ['iceland'],
      ['trip', 'plan'],
      ['e', 'mail'],
      ['東京', '京タ', 'タワ', 'ワー'],
    ]);
    expect(parseSearchQuery('“smart quotes” work').phrases[0]!.terms).toEqual(['smart', 'quotes']);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a'.repeat(2000), /at most 500/],
    ['?!… --- ***', /no words/],
    ['"trip plan', /not closed/],
    [Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '), /at most 24/],
  ])('refuses %j with a clear message', (query, message) => {
    expect(() => parseSearchQuery(query)).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(query)).toThrow(message);
  });

  it('a phrase needs its terms adjacent and in order', () => {
    const { phrases } = parseSearchQuery('"trip plan"');
    expect(phrasesOccurIn(phrases, ['the', 'trip', 'plan'])).toBe(true);
    expect(phrasesOccurIn(phrases, ['plan', 'trip'])).toBe(false);
    expect(phrasesOccurIn(phrases, ['trip', 'the', 'plan'])).toBe(false);
  });

  it('decides phrases from ordinals alone, as it would from the text', () => {
    const texts = [['the', 'trip', 'plan'], ['plan', 'trip'], ['trip', 'the', 'plan'], ['trip', 'plan', 'x', 'trip', 'trip', 'plan', 'plan'], ['a', 'b', 'a', 'b', 'c']];
    for (const query of ['"trip plan"', '"trip plan" "plan plan"', '"trip trip plan"', '"a b c"', '"b a b"', 'trip plan']) {
      const { phrases } = parseSearchQuery(query);
      for (const terms of texts) {
        if (!phrases.every((phrase) => phrase.terms.every((term) => terms.includes(term)))) continue;
        const ordinalsOf = (term: string) => terms.flatMap((candidate, ordinal) => (candidate === term ? [ordinal] : []));
        expect(phrasesOccurAtOrdinals(phrases, ordinalsOf), `${query} in ${terms.join(' ')}`).toBe(phrasesOccurIn(phrases, terms));
      }
    }
  });
});
