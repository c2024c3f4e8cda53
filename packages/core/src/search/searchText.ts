// How text becomes search terms, the same for what is indexed and what is asked:
// - words are runs of letters, digits and combining marks; anything else separates them;
// - case is folded, and accents are dropped from Latin, Greek and Cyrillic letters (é → e,
//   ё → е) but kept elsewhere, where a mark changes the letter (Japanese が is not か);
// - Han, Hiragana, Katakana and Hangul are written without spaces, so their runs become
//   overlapping character bigrams (東京都 → 東京 京都): any word of two or more characters is
//   then found as adjacent bigrams, and a one-character run stands as itself.
// Each token keeps its ordinal (for phrases: adjacent tokens) and its place in the original text
// (for snippets).

export interface SearchToken {
  term: string;
  /** 0-based position among the text's tokens. */
  ordinal: number;
  /** UTF-16 offsets of the token in the original text. */
  start: number;
  end: number;
}

/** Terms longer than this are cut: DynamoDB keys are bounded, and no one searches a 200-letter word whole. */
export const MAX_TERM_LENGTH = 64;

const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const BIGRAM_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const BIGRAM_RUNS = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]+)|([^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]+)/gu;
const FOLDED_MARKS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;

/** Lowercase, accents off where that keeps the letter, compatibility forms unified (ﬁ → fi, Ａ → a). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(FOLDED_MARKS, '$1').normalize('NFC').toLowerCase();
}

export function tokenize(text: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  forEachTerm(text, (term, ordinal, start, end) => void tokens.push({ term, ordinal, start, end }));
  return tokens;
}

/** The tokens of `text` in order, as tokenize gives them, without building them: what indexing walks. */
export function forEachTerm(text: string, visit: (term: string, ordinal: number, start: number, end: number) => void): void {
  // Most text is ASCII: its words are runs of [A-Za-z0-9], found by char codes with no regex
  // match objects. A run holding anything beyond ASCII (a letter, a mark, a CJK character, or a
  // separator such as an em dash) goes through the general path, which gives the same tokens
  // for it as for the whole text: ASCII punctuation never belongs to a word run.
  const counter = { ordinal: 0 };
  const length = text.length;
  for (let at = 0; at < length; ) {
    let code = text.charCodeAt(at);
    if (code < 0x80 && !isAsciiAlphanumeric(code)) {
      at += 1;
      continue;
    }
    const start = at;
    let ascii = true;
    for (; at < length; at += 1) {
      code = text.charCodeAt(at);
      if (isAsciiAlphanumeric(code)) continue;
      if (code < 0x80) break;
      ascii = false;
    }
    if (ascii) visit(text.slice(start, Math.min(at, start + MAX_TERM_LENGTH)).toLowerCase(), counter.ordinal++, start, at);
    else forEachTermByRegex(text.slice(start, at), start, counter, visit);
  }
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

/**
 * The general path, right for any text: word runs by Unicode class, folded, CJK as bigrams.
 * `offset` is where `text` starts in the text the offsets are reported in; `counter` carries the ordinal on.
 */
export function forEachTermByRegex(
  text: string,
  offset: number,
  counter: { ordinal: number },
  visit: (term: string, ordinal: number, start: number, end: number) => void,
): void {
  const emit = (raw: string, start: number, end: number) => {
    const term = [...foldText(raw)].slice(0, MAX_TERM_LENGTH).join('');
    if (term !== '') visit(term, counter.ordinal++, start, end);
  };
  for (const word of text.matchAll(WORD_RUN)) {
    const wordStart = offset + word.index;
    if (ASCII.test(word[0])) {
      visit(word[0].slice(0, MAX_TERM_LENGTH).toLowerCase(), counter.ordinal++, wordStart, wordStart + word[0].length);
      continue;
    }
    if (!BIGRAM_SCRIPT.test(word[0])) {
      emit(word[0], wordStart, wordStart + word[0].length);
      continue;
    }
    for (const part of word[0].matchAll(BIGRAM_RUNS)) {
      const partStart = wordStart + part.index;
      if (part[2] !== undefined) {
        emit(part[2], partStart, partStart + part[2].length);
        continue;
      }
      const chars = [...part[1]!];
      let at = partStart;
      const starts = chars.map((char) => {
        const start = at;
        at += char.length;
        return start;
      });
      if (chars.length === 1) emit(chars[0]!, partStart, at);
      for (let index = 0; index + 1 < chars.length; index += 1) {
        emit(chars[index]! + chars[index + 1]!, starts[index]!, starts[index]! + chars[index]!.length + chars[index + 1]!.length);
      }
    }
  }
}
