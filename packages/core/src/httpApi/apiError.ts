// Errors a route throws on purpose; their message is safe to show to the caller. ApiError is the
// HTTP layer's own (routing, body size, identity, a deployment without a feature), each with its
// status; a refused request is a domain error like any other, its status from its kind
// (errorStatus.ts). Anything else becomes a 500 whose body says nothing about the internals.

import { domainError, type ErrorKind } from '../errors/domainError';
import { errorClass } from '../errors/errorClass';

export class ApiError extends errorClass('ApiError') {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request a route refuses: a bad parameter or body (input), or nothing under that id (not-found). */
export class RequestRefused extends domainError('RequestRefused', 'input') {
  constructor(
    override readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new RequestRefused('input', message);
export const notFound = (message: string) => new RequestRefused('not-found', message);
