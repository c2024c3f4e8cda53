import { describe, expect, it } from 'vitest';
import { jobErrorText } from './jobErrorText';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('jobErrorText', () => {
  it('keeps short text as is and describes errors and other values', () => {
    expect(jobErrorText('boom')).toBe('boom');
    expect(jobErrorText(new Error('bad zip'))).toBe('bad zip');
    expect(jobErrorText(new RangeError('too deep'))).toBe('RangeError: too deep');
    expect(jobErrorText({ Error: 'States.Timeout' })).toBe('{"Error":"States.Timeout"}');
    expect(jobErrorText(undefined)).toBe('unknown error');
  });

  it('cuts long text to 500 code units with an ellipsis', () => {
    const text = jobErrorText('x'.repeat(2000));
    expect(text).toHaveLength(500);
    expect(text.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = jobErrorText('a' + '😀'.repeat(400));
    expect(text.length).toBeLessThanOrEqual(500);
    expect(loneSurrogate.test(text)).toBe(false);
    const shifted = jobErrorText('😀'.repeat(400));
    expect(shifted.length).toBeLessThanOrEqual(500);
    expect(loneSurrogate.test(shifted)).toBe(false);
  });
});
