import { describe, expect, it } from 'vitest';
import { chunkLine } from './chunkWriter';

describe('chunkLine', () => {
  it('wraps the conversation JSON as it lies in the file, on one line, parsing to the same value', () => {
    // Pretty-printed, with CRLF line ends, escaped newlines inside strings and multi-byte text.
    const json = Buffer.from('{\r\n  "id": "c1",\r\n  "title": "Zürich ✓",\n  "text": "line one\\nline two\\r\\n",\n  "n": [1,\n 2]\n}');
    const line = chunkLine(42, json);
    expect(line.includes(0x0a)).toBe(false);
    expect(line.includes(0x0d)).toBe(false);
    expect(JSON.parse(line.toString('utf8'))).toEqual({ index: 42, conversation: JSON.parse(json.toString('utf8')) });
  });

  it('leaves compact JSON byte for byte', () => {
    const json = Buffer.from('{"id":"c2","mapping":{}}');
    expect(chunkLine(0, json).toString('utf8')).toBe('{"index":0,"conversation":{"id":"c2","mapping":{}}}');
  });
});
