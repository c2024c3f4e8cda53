// An error the caller caused and can act on; its message is written for them. The kind says
// what went wrong in the domain's terms; the HTTP API maps kinds to statuses in one place
// (httpApi/errorStatus.ts), so no route matches on an error's class or message.

/**
 * - input: the request or the data is wrong (a bad id, cursor, query, upload);
 * - not-found: what was asked for does not exist;
 * - conflict: it exists, but its state does not allow this now (not retryable, busy);
 * - gone: it existed and was removed (an upload deleted after its import);
 * - capacity: a limit or a throttled store; trying again later or with less may work.
 */
export type ErrorKind = 'input' | 'not-found' | 'conflict' | 'gone' | 'capacity';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
}

/**
 * Declares a domain error: `class X extends domainError('X', 'input') {}` (the name as in
 * errorClass). An error whose kind depends on the instance overrides `kind`.
 */
export function domainError<const Name extends string>(name: Name, kind: ErrorKind) {
  return class extends DomainError {
    override readonly name: Name = name;
    readonly kind: ErrorKind = kind;
  };
}
