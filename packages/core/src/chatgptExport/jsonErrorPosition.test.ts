import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from './jsonErrorPosition';

describe('jsonErrorPosition', () => {
  it('returns -1 for valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"],"b":{}} ', '"x"', '0']) {
      expect(jsonErrorPosition(text)).toBe(-1);
    }
  });

  it('points at the first offending character', () => {
    expect(jsonErrorPosition('{"a":}')).toBe(5);
    expect(jsonErrorPosition('[1,]')).toBe(3);
    expect(jsonErrorPosition('{"a" 1}')).toBe(5);
    expect(jsonErrorPosition('{"a":1,}')).toBe(7);
    expect(jsonErrorPosition('[1 2]')).toBe(3);
    expect(jsonErrorPosition('{"a":"\\x"}')).toBe(6);
    expect(jsonErrorPosition('{"a":"x\ny"}')).toBe(7);
    expect(jsonErrorPosition('{"a":tru}')).toBe(5);
    expect(jsonErrorPosition('[1}')).toBe(2);
    expect(jsonErrorPosition('{"a":1')).toBe(6); // ends early: the end
  });

  it('agrees with V8 where V8 reports a position', () => {
    for (const text of ['{"a":1,}', '{"a" 1}', '[1,2', '{"a":"x\ny"}', '[1] x']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      const v8 = /at position (\d+)/.exec(message);
      if (v8) expect(jsonErrorPosition(text)).toBe(Number(v8[1]));
    }
  });

  it('survives hostile nesting without recursion', () => {
    expect(jsonErrorPosition('['.repeat(200_000) + 'x')).toBe(200_000);
  });
});
