import { describe, expect, it } from 'vitest';
import { isoFromEpochSeconds, utcDate, utcTime } from './exportTimes';

describe('export times', () => {
  it('turns float epoch seconds into ISO-8601 UTC with milliseconds', () => {
    expect(isoFromEpochSeconds(1704629915.775304)).toBe('2024-01-07T12:18:35.775Z');
    expect(isoFromEpochSeconds('1704629915.5')).toBe('2024-01-07T12:18:35.500Z');
    expect(utcDate('2024-01-07T12:18:35.775Z')).toBe('2024-01-07');
    expect(utcTime('2024-01-07T12:18:35.775Z')).toBe('12:18');
  });

  it('gives null for absent, non-numeric or out-of-range values', () => {
    for (const value of [null, undefined, '', 'soon', NaN, Infinity, 1e20, {}, true]) {
      expect(isoFromEpochSeconds(value)).toBeNull();
    }
    expect(utcDate(null)).toBeNull();
  });
});
