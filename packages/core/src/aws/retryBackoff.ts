// Bounded exponential backoff with full jitter (delay = random × min(cap, base × 2^attempt)) for
// DynamoDB's unprocessed batch entries and throttling errors. Injectable so tests do not sleep.

import { errorClass } from '../errors/errorClass';

export interface RetryBackoff {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryBackoff: RetryBackoff = {
  maxAttempts: 10,
  baseMs: 50,
  capMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The wait before retry number `attempt` (0 = the first retry). */
export function fullJitterDelay(attempt: number, backoff: RetryBackoff): number {
  return Math.floor(backoff.random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt));
}

const throttlingErrorNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

export function isThrottlingError(error: unknown): boolean {
  return error instanceof Error && throttlingErrorNames.has(error.name);
}

export class RetriesExhaustedError extends errorClass('RetriesExhaustedError') {}

/**
 * Throttling that outlasted our own retries: the table's capacity, not the data, is at fault, so
 * the caller should retry the work later rather than count it as failed.
 */
export function isCapacityError(error: unknown): boolean {
  return isThrottlingError(error) || error instanceof RetriesExhaustedError;
}

/** Runs `operation`, retrying throttling errors with backoff; other errors pass straight through. */
export async function withThrottleRetry<T>(backoff: RetryBackoff, operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isThrottlingError(error) || attempt + 1 >= backoff.maxAttempts) throw error;
      await backoff.sleep(fullJitterDelay(attempt, backoff));
    }
  }
}
