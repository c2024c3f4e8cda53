/**
 * Index (UTF-16) of the first JSON syntax error in `text`, or -1 if it is valid. V8's JSON.parse
 * reports a position for most errors but not for "Unexpected token", so on the (rare) error
 * path we find it ourselves. Iterative, so hostile nesting cannot overflow the stack.
 */
export function jsonErrorPosition(text: string): number {
  const n = text.length;
  const open: number[] = []; // 0x7b `{` or 0x5b `[`
  let state: 'value' | 'first-value' | 'key' | 'first-key' | 'colon' | 'after' = 'value';
  let i = 0;
  for (;;) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) return state === 'after' && open.length === 0 ? -1 : n;
    const c = text.charCodeAt(i);
    switch (state) {
      case 'value':
      case 'first-value':
        if (c === 0x7b) {
          open.push(c);
          state = 'first-key';
          i++;
        } else if (c === 0x5b) {
          open.push(c);
          state = 'first-value';
          i++;
        } else if (c === 0x5d && state === 'first-value') {
          open.pop();
          state = 'after';
          i++;
        } else if (c === 0x22) {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = 'after';
        } else {
          LITERAL.lastIndex = i;
          const match = LITERAL.exec(text);
          if (!match) return i;
          i += match[0].length;
          state = 'after';
        }
        break;
      case 'key':
      case 'first-key':
        if (c === 0x7d && state === 'first-key') {
          open.pop();
          state = 'after';
          i++;
        } else if (c === 0x22) {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = 'colon';
        } else {
          return i;
        }
        break;
      case 'colon':
        if (c !== 0x3a) return i;
        state = 'value';
        i++;
        break;
      case 'after': {
        const top = open[open.length - 1];
        if (top === undefined) return i;
        if (c === 0x2c) state = top === 0x7b ? 'key' : 'value';
        else if ((c === 0x7d && top === 0x7b) || (c === 0x5d && top === 0x5b)) open.pop();
        else return i;
        i++;
        break;
      }
    }
  }
}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const ESCAPABLE = '"\\/bfnrt';

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index after the closing quote of the string opening at `start`, or -(errorIndex + 1). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -i - 1;
        i += 5;
      } else if (next !== undefined && ESCAPABLE.includes(next)) {
        i++;
      } else {
        return -i - 1;
      }
    }
  }
  return -text.length - 1;
}
