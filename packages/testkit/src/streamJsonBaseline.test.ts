import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamJsonConversations } from './streamJsonBaseline';

describe('streamJsonConversations', () => {
  it('yields the elements of a top-level array, like the scanner (the benchmark baseline)', async () => {
    const elements = [{ id: 'a', t: ']"{' }, { id: 'b' }];
    const text = JSON.stringify(elements);
    const chunks = Array.from({ length: text.length }, (_, i) => Buffer.from(text[i]));
    const values: unknown[] = [];
    for await (const value of streamJsonConversations(Readable.from(chunks))) values.push(value);
    expect(values).toEqual(elements);
  });

  it('rejects malformed input', async () => {
    await expect(async () => {
      for await (const _ of streamJsonConversations(Readable.from([Buffer.from('[{"a":}]')]))) void _;
    }).rejects.toThrow();
  });
});
