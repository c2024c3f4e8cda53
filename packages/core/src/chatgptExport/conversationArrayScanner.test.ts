import { describe, expect, it } from 'vitest';
import { ConversationArrayScanner, type ScannedConversation, type ScannedElement, parseElement, scanConversationArray } from './conversationArrayScanner';
import { ExportReadError } from './exportReadError';

async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Scans `text` fed in chunks of `chunkSize`; returns what was yielded and the error, if any. */
async function scan(text: string | Buffer, chunkSize = 1_000_000, maxElementBytes?: number) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const yielded: ScannedConversation[] = [];
  let error: ExportReadError | undefined;
  try {
    for await (const item of scanConversationArray(inChunks(bytes, chunkSize), 'conversations-001.json', {
      maxElementBytes,
    })) {
      yielded.push(item);
    }
  } catch (caught) {
    if (!(caught instanceof ExportReadError)) throw caught;
    error = caught;
  }
  return { values: yielded.map((item) => item.raw), yielded, error };
}

// Strings holding every character that could fool a boundary scanner.
const tricky = [
  { id: 'a', title: 'brackets ] } [ { inside', text: 'quote \\" and backslash \\\\' },
  { id: 'b', parts: ['ends with backslash \\', '\\"', '\\\\\\"', 'unicode \u00e9\u4e2d\ud83d\ude00 \\u0022'] },
  { id: 'c', nested: [[[{ deep: { deeper: [] } }]]], empty: {}, n: -1.5e3, t: true, f: false, z: null },
];
const trickyJson = JSON.stringify(tricky, null, 1);

describe('scanConversationArray', () => {
  it('yields each element of a top-level array, parsed, with its byte offset and length', async () => {
    const text = '[{"id":1}, {"id":"x"}]';
    const { yielded, error } = await scan(text);
    expect(error).toBeUndefined();
    expect(yielded).toEqual([
      { offset: 1, bytes: 8, raw: { id: 1 } },
      { offset: 11, bytes: 10, raw: { id: 'x' } },
    ]);
  });

  it('is not fooled by ], {, \\" or escaped backslashes inside strings', async () => {
    expect((await scan(trickyJson)).values).toEqual(tricky);
  });

  it('gives the same result whatever the chunk boundaries (1-byte chunks and odd sizes)', async () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const { values, yielded, error } = await scan(trickyJson, size);
      expect(error).toBeUndefined();
      expect(values).toEqual(tricky);
      const whole = Buffer.from(trickyJson);
      for (const item of yielded) {
        expect(JSON.parse(whole.subarray(item.offset, item.offset + item.bytes).toString())).toEqual(item.raw);
      }
    }
  });

  it('matches JSON.parse on random nested data cut at random places', async () => {
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
    const atoms = ['"', '\\', ']', '[', '{', '}', ',', ':', 'é', '😀', '\n', 'x', ' '];
    const randomString = () => Array.from({ length: random(12) }, () => atoms[random(atoms.length)]).join('');
    const randomValue = (depth: number): unknown => {
      const pick = depth > 3 ? random(3) : random(5);
      if (pick === 0) return randomString();
      if (pick === 1) return random(1000) - 500;
      if (pick === 2) return [null, true, false][random(3)];
      if (pick === 3) return Array.from({ length: random(4) }, () => randomValue(depth + 1));
      return Object.fromEntries(Array.from({ length: random(4) }, () => [randomString(), randomValue(depth + 1)]));
    };
    for (let round = 0; round < 30; round++) {
      const elements = Array.from({ length: 1 + random(6) }, () => randomValue(0));
      const result = await scan(JSON.stringify(elements, null, random(3)), 1 + random(9));
      expect(result.error).toBeUndefined();
      expect(result.values).toEqual(elements);
    }
  });

  it('accepts scalar elements and whitespace everywhere', async () => {
    expect((await scan(' \n[ 1 , "two" ,null,true , -3.5e2 ,[ ] ] \n', 1)).values).toEqual([1, 'two', null, true, -350, []]);
  });

  it('accepts an empty array', async () => {
    expect(await scan('[]')).toMatchObject({ values: [], error: undefined });
  });

  it('skips a UTF-8 BOM, counting its bytes in offsets', async () => {
    const { yielded } = await scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"id":1}]')]), 1);
    expect(yielded).toEqual([{ offset: 4, bytes: 8, raw: { id: 1 } }]);
  });

  it('reads the array under "conversations" in a wrapping object and skips the other keys', async () => {
    const text = '{"version":{"a":["]",{"}":1}]},"n":5,"conversations":[{"id":1},{"id":2}],"after":"x\\"}"}';
    for (const size of [1, 5, 1000]) {
      expect(await scan(text, size)).toMatchObject({ values: [{ id: 1 }, { id: 2 }], error: undefined });
    }
  });

  it('refuses a wrapping object without a conversations array', async () => {
    expect((await scan('{"items":[]}')).error?.code).toBe('no-conversations');
    expect((await scan('{"conversations":{}}')).error?.message).toMatch(/"conversations" is not an array/);
  });

  it('reports malformed JSON inside an element with the absolute byte offset, after yielding the elements before it', async () => {
    const good = '{"id":1},{"id":2},';
    const text = `[${good}{"id":3,"x":}]`;
    const { values, error } = await scan(text, 4);
    expect(values).toEqual([{ id: 1 }, { id: 2 }]);
    expect(error?.code).toBe('malformed-json');
    const at = text.indexOf(':}') + 1; // the `}` where a value should be
    expect(error?.message).toMatch(new RegExp(`^conversations-001\\.json: malformed JSON at byte ${at} \\(`));
  });

  it('counts multi-byte characters as bytes in the offset of a parse error', async () => {
    const text = '[{"t":"é中😀","x":}]';
    const { error } = await scan(text);
    expect(error?.message).toContain(`at byte ${Buffer.byteLength(text.slice(0, text.indexOf(':}') + 1))}`);
  });

  it('reports structural garbage between elements at its byte, after the elements before it in the same chunk', async () => {
    const { values, error } = await scan('[{"id":1} {"id":2}]');
    expect(values).toEqual([{ id: 1 }]);
    expect(error?.message).toBe(
      'conversations-001.json: malformed JSON at byte 10 (expected "," or "]" after an element but found "{")',
    );
  });

  it('refuses data after the array and input that is not an array or object', async () => {
    expect((await scan('[1] 2')).error?.message).toMatch(/at byte 4 \(unexpected "2" after the end/);
    expect((await scan('"just a string"')).error?.message).toMatch(/expected "\[" or "\{"/);
  });

  it('reports a truncated file as "ended inside" the conversation that was cut, after the complete ones', async () => {
    const text = '[{"id":1},{"id":2,"text":"cut here';
    const { values, error } = await scan(text, 3);
    expect(values).toEqual([{ id: 1 }]);
    expect(error?.code).toBe('truncated-json');
    expect(error?.message).toBe(
      `conversations-001.json: ended at byte ${text.length} inside the conversation starting at byte 10 (the file is truncated)`,
    );
    expect((await scan('[{"id":1},')).error?.message).toMatch(/ended at byte 10 inside the conversations array/);
    expect((await scan('')).error?.message).toBe('conversations-001.json: is empty');
  });

  it('refuses one element larger than maxElementBytes instead of buffering it', async () => {
    const big = `[${JSON.stringify({ text: 'x'.repeat(5000) })}]`;
    expect((await scan(big, 100, 1000)).error?.code).toBe('element-too-large');
    expect((await scan(big, 100, 10_000)).error).toBeUndefined();
  });
});

describe('ConversationArrayScanner', () => {
  it('holds only the current element: completed elements are handed out per chunk', () => {
    const scanner = new ConversationArrayScanner('f.json');
    const found: ScannedElement[] = [];
    scanner.push(Buffer.from('[{"a":"x'), found);
    expect(found).toEqual([]);
    scanner.push(Buffer.from('y"},{"b":1}'), found);
    expect(found.map((element) => [element.offset, element.bytes.toString()])).toEqual([
      [1, '{"a":"xy"}'],
      [12, '{"b":1}'],
    ]);
    // The element split across chunks is handed out as its two views too, for a caller that copies anyway.
    expect(found[0].parts.map((part) => part.toString())).toEqual(['{"a":"x', 'y"}']);
    expect(found.map((element) => element.length)).toEqual([10, 7]);
    scanner.push(Buffer.from(']'), found);
    expect(() => scanner.end()).not.toThrow();
    expect(scanner.bytesScanned).toBe(20);
  });
});

describe('parseElement', () => {
  it('reads an all-ASCII element (escaped text) and a UTF-8 one as the same conversation', () => {
    const value = { id: 'c', title: 'Café ✓ 😀', parts: ['naïve \u2028', 'lone \ud800'] };
    const escaped = Buffer.from(JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    const raw = Buffer.from(JSON.stringify(value));
    expect(escaped.every((byte) => byte < 0x80)).toBe(true);
    expect(raw.some((byte) => byte >= 0x80)).toBe(true);
    expect(parseElement({ offset: 0, bytes: escaped }, 'f.json')).toEqual(value);
    expect(parseElement({ offset: 0, bytes: raw }, 'f.json')).toEqual(value);
  });

  it('names the byte offset of a syntax error in an ASCII element and in a UTF-8 one', () => {
    expect(() => parseElement({ offset: 100, bytes: Buffer.from('{"a": tru}') }, 'f.json')).toThrow('f.json: malformed JSON at byte 106');
    // "é" is two bytes: the offset counts bytes, not characters.
    expect(() => parseElement({ offset: 100, bytes: Buffer.from('{"é": tru}') }, 'f.json')).toThrow('f.json: malformed JSON at byte 107');
  });
});
