import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError, pageLimit } from './pageCursor';

describe('page cursors', () => {
  it('round-trips a key as opaque base64url', () => {
    const key = { pk: 'USER#u#CONV#c', sk: 'META', gsi1pk: 'USER#u', gsi1sk: '2024#c' };
    const cursor = encodeCursor(key)!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { gsi1pk: 'USER#u' }, { pk: 'USER#u#CONV#' })).toEqual(key);
    expect(encodeCursor(undefined)).toBeNull();
  });

  it("refuses another user's cursor and garbage", () => {
    const cursor = encodeCursor({ pk: 'USER#v#CONV#c', gsi1pk: 'USER#v' })!;
    expect(() => decodeCursor(cursor, { gsi1pk: 'USER#u' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor('not json', {})).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor({ pk: 5 } as never)!, {})).toThrow(InvalidCursorError);
  });

  it('bounds page sizes', () => {
    expect(pageLimit(undefined, 50, 200)).toBe(50);
    expect(pageLimit(1000, 50, 200)).toBe(200);
    expect(() => pageLimit(0, 50, 200)).toThrow(RangeError);
  });
});
