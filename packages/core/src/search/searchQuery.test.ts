import { describe, expect, it } from 'vitest';
import { parseSearchQuery, phrasesOccurIn, SearchQueryError } from './searchQuery';

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
});
