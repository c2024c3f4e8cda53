// Opaque page cursors: a DynamoDB LastEvaluatedKey as base64url JSON. On the way back in, the
// key's partition attributes must equal the caller's own, so a crafted cursor cannot start a
// query in another user's data (the key condition would refuse it too; this says so clearly).

import { domainError } from '../errors/domainError';

/** The caller sees only "invalid cursor"; what was wrong with it is the error's cause. */
export class InvalidCursorError extends domainError('InvalidCursorError', 'input') {
  constructor(detail: string) {
    super('invalid cursor', { cause: detail });
  }
}

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * The ExclusiveStartKey of a cursor; `expected` names attributes whose value must match and
 * `prefixes` attributes that must start with the given text.
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: Record<string, string>,
  prefixes: Record<string, string> = {},
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('malformed cursor');
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw new InvalidCursorError('malformed cursor');
  const record = key as Record<string, unknown>;
  if (!Object.values(record).every((value) => typeof value === 'string')) throw new InvalidCursorError('malformed cursor');
  for (const [name, value] of Object.entries(expected)) {
    if (record[name] !== value) throw new InvalidCursorError('cursor belongs to another listing');
  }
  for (const [name, prefix] of Object.entries(prefixes)) {
    if (!(record[name] as string | undefined)?.startsWith(prefix)) throw new InvalidCursorError('cursor belongs to another listing');
  }
  return record as Record<string, string>;
}

/** A page size within [1, max], `fallback` when none was asked for. */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`invalid page limit: ${limit}`);
  return Math.min(limit, max);
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null at the end. */
  cursor: string | null;
}
