import { describe, expect, it } from 'vitest';
import { foldText, tokenize } from './searchText';

const terms = (text: string) => tokenize(text).map((token) => token.term);

describe('tokenize', () => {
  it('folds case and Latin/Greek/Cyrillic accents, and compatibility forms', () => {
    expect(terms('Café NAÏVE Zürich ёлка ﬁle Ａｂｃ')).toEqual(['cafe', 'naive', 'zurich', 'елка', 'file', 'abc']);
  });

  it('keeps marks that change a letter elsewhere (Japanese dakuten)', () => {
    expect(terms('が か')).toEqual(['が', 'か']);
  });

  it('splits CJK runs into overlapping bigrams, a lone character stands as itself', () => {
    expect(terms('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(terms('한국어 공부')).toEqual(['한국', '국어', '공부']);
    expect(terms('数据库abc中')).toEqual(['数据', '据库', 'abc', '中']);
  });

  it('splits on punctuation and keeps the place of each token in the original text', () => {
    const text = 'e-mail: Ünïcode!';
    expect(tokenize(text).map((t) => [t.term, text.slice(t.start, t.end), t.ordinal])).toEqual([
      ['e', 'e', 0],
      ['mail', 'mail', 1],
      ['unicode', 'Ünïcode', 2],
    ]);
  });

  it('cuts absurdly long terms', () => {
    expect(terms('x'.repeat(500))[0]).toHaveLength(64);
    expect(foldText('ÀB')).toBe('ab');
  });
});
