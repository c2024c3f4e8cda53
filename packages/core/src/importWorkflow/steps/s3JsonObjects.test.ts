import { describe, expect, it } from 'vitest';
import { byteLines } from './s3JsonObjects';

async function linesOf(text: string, chunkBytes: number): Promise<string[]> {
  const bytes = Buffer.from(text, 'utf8');
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunkBytes) yield new Uint8Array(bytes.subarray(at, at + chunkBytes));
  }
  const lines: string[] = [];
  for await (const line of byteLines(chunks())) lines.push(line.toString('utf8'));
  return lines;
}

describe('byteLines', () => {
  const text = `{"a":"Zürich ✓ 😀"}\n\n${JSON.stringify({ long: 'é'.repeat(5000) })}\n{"last":true}`;
  const expected = text.split('\n');

  for (const chunkBytes of [1, 2, 3, 7, 64, 100_000]) {
    it(`cuts the same lines whatever the chunk size (${chunkBytes} bytes), multi-byte characters split across chunks included`, async () => {
      expect(await linesOf(text, chunkBytes)).toEqual(expected);
    });
  }

  it('yields no extra line after a final newline', async () => {
    expect(await linesOf('{"a":1}\n{"b":2}\n', 4)).toEqual(['{"a":1}', '{"b":2}']);
  });
});
