import { describe, expect, it } from 'vitest';
import { BufferPool } from './bufferPool';

describe('BufferPool', () => {
  it('hands a spent buffer out again when it is large enough, a new one otherwise', () => {
    const pool = new BufferPool(2);
    const first = pool.take(1000);
    expect(first.byteLength).toBeGreaterThanOrEqual(1000);
    expect(pool.takeSpent(10)).toBeUndefined();
    pool.give(first);
    expect(pool.take(first.byteLength + 1)).not.toBe(first);
    expect(pool.take(500)).toBe(first);
  });

  it('keeps at most `keep` buffers and ignores detached ones', () => {
    const pool = new BufferPool(1);
    const a = new ArrayBuffer(64);
    const b = new ArrayBuffer(64);
    pool.give(a);
    pool.give(b);
    expect(pool.takeSpent(64)).toBe(a);
    expect(pool.takeSpent(64)).toBeUndefined();
    const detached = new ArrayBuffer(64);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    expect(pool.takeSpent(0)).toBeUndefined();
  });
});
