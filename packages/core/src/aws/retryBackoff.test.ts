import { describe, expect, it } from 'vitest';
import { fullJitterDelay, withThrottleRetry, type RetryBackoff } from './retryBackoff';

function recordingBackoff(maxAttempts = 4): RetryBackoff & { waits: number[] } {
  const waits: number[] = [];
  return { maxAttempts, baseMs: 100, capMs: 1_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms), waits };
}

function namedError(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

describe('retry backoff', () => {
  it('grows exponentially up to the cap, jittered', () => {
    const backoff = recordingBackoff();
    expect([0, 1, 2, 3, 4].map((attempt) => fullJitterDelay(attempt, backoff))).toEqual([50, 100, 200, 400, 500]);
  });

  it('retries throttling errors, then gives up', async () => {
    const backoff = recordingBackoff(3);
    let calls = 0;
    await expect(
      withThrottleRetry(backoff, async () => {
        calls += 1;
        throw namedError('ProvisionedThroughputExceededException');
      }),
    ).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(calls).toBe(3);
    expect(backoff.waits).toEqual([50, 100]);
  });

  it('succeeds after throttling and never retries other errors', async () => {
    const backoff = recordingBackoff();
    let calls = 0;
    const result = await withThrottleRetry(backoff, async () => {
      calls += 1;
      if (calls < 3) throw namedError(calls === 1 ? 'ThrottlingException' : 'RequestLimitExceeded');
      return 'ok';
    });
    expect(result).toBe('ok');
    await expect(withThrottleRetry(backoff, async () => Promise.reject(namedError('ValidationException')))).rejects.toThrow();
    expect(backoff.waits).toHaveLength(2);
  });
});
