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

  it('formats exactly as Date#toISOString across the whole range, leap days and edges included', () => {
    const YEAR_0_MS = -62167219200000;
    const YEAR_9999_END_MS = 253402300799999;
    const samples = [YEAR_0_MS, YEAR_0_MS + 1, YEAR_9999_END_MS, YEAR_9999_END_MS - 1, -1, 0, 1, 951782400000, 951868799999, 4107542400000, -2203891200001];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 20_000; i++) samples.push(Math.round(YEAR_0_MS + random() * (YEAR_9999_END_MS - YEAR_0_MS)));
    // Every day from 1899 to 2101 at a random time of day: each leap rule crossed.
    for (let day = -25567; day < 47482; day++) samples.push(day * 86_400_000 + Math.floor(random() * 86_400_000));
    for (const ms of samples) expect(isoFromEpochSeconds(ms / 1000)).toBe(new Date(Math.round((ms / 1000) * 1000)).toISOString());
  });
});
