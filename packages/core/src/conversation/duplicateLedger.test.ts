import { describe, expect, it } from 'vitest';
import { DuplicateLedger } from './duplicateLedger';

describe('DuplicateLedger', () => {
  it('says "first" for a new id', () => {
    const ledger = new DuplicateLedger();
    expect(ledger.offer({ id: 'a', updateTime: 10, mappingSize: 3, ordinal: 0 })).toEqual({ verdict: 'first' });
    expect(ledger.offer({ id: 'b', updateTime: 10, mappingSize: 3, ordinal: 1 })).toEqual({ verdict: 'first' });
    expect(ledger.duplicates).toBe(0);
  });

  it('keeps the newer update_time', () => {
    const ledger = new DuplicateLedger();
    ledger.offer({ id: 'a', updateTime: 10, mappingSize: 3, ordinal: 0 });
    expect(ledger.offer({ id: 'a', updateTime: 20, mappingSize: 1, ordinal: 4 })).toEqual({ verdict: 'replaces', superseded: 0 });
    expect(ledger.offer({ id: 'a', updateTime: 15, mappingSize: 99, ordinal: 9 })).toEqual({ verdict: 'older' });
    expect(ledger.offer({ id: 'a', updateTime: 30, mappingSize: 1, ordinal: 12 })).toEqual({ verdict: 'replaces', superseded: 4 });
    expect(ledger.duplicates).toBe(3);
  });

  it('on equal update_time keeps the larger mapping, then the first seen', () => {
    const ledger = new DuplicateLedger();
    ledger.offer({ id: 'a', updateTime: 10, mappingSize: 3, ordinal: 0 });
    expect(ledger.offer({ id: 'a', updateTime: 10, mappingSize: 5, ordinal: 1 })).toEqual({ verdict: 'replaces', superseded: 0 });
    expect(ledger.offer({ id: 'a', updateTime: 10, mappingSize: 5, ordinal: 2 })).toEqual({ verdict: 'older' });
    expect(ledger.offer({ id: 'a', updateTime: 10, mappingSize: 4, ordinal: 3 })).toEqual({ verdict: 'older' });
  });

  it('treats a null update_time as older than any time', () => {
    const ledger = new DuplicateLedger();
    ledger.offer({ id: 'a', updateTime: null, mappingSize: 50, ordinal: 0 });
    expect(ledger.offer({ id: 'a', updateTime: 1, mappingSize: 1, ordinal: 1 })).toEqual({ verdict: 'replaces', superseded: 0 });
    expect(ledger.offer({ id: 'a', updateTime: null, mappingSize: 99, ordinal: 2 })).toEqual({ verdict: 'older' });
    const nulls = new DuplicateLedger();
    nulls.offer({ id: 'b', updateTime: null, mappingSize: 1, ordinal: 0 });
    expect(nulls.offer({ id: 'b', updateTime: null, mappingSize: 2, ordinal: 1 })).toEqual({ verdict: 'replaces', superseded: 0 });
  });
});
