import { describe, expect, it } from 'vitest';
import { foldText, forEachTermByRegex, tokenize, type SearchToken } from './searchText';

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

  it('gives, by char codes for ASCII runs, exactly the tokens the general path gives for the whole text', () => {
    const pieces = ['plan', 'TRIP', 'e-mail', 'x_y', '42', 'café', 'NAÏVE', '—', '東京タワー', 'abc数据', '한국어', 'が', '😀', 'ﬁle', 'Ａｂｃ', ' ', '  ', '.', ',', '\n', '"', 'ёлка', 'x'.repeat(70), 'é'.repeat(70), '\u0301', 'ß'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round += 1) {
      const text = Array.from({ length: 1 + Math.floor(random() * 20) }, () => pieces[Math.floor(random() * pieces.length)]!).join(random() < 0.5 ? ' ' : '');
      const general: SearchToken[] = [];
      forEachTermByRegex(text, 0, { ordinal: 0 }, (term, ordinal, start, end) => void general.push({ term, ordinal, start, end }));
      expect(tokenize(text), JSON.stringify(text)).toEqual(general);
    }
  });
});
