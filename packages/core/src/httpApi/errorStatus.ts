// The one place errors become HTTP statuses: a domain error by its kind, the HTTP layer's own
// ApiError by its status. Routes never catch an error to translate it.

import { DomainError, type ErrorKind } from '../errors/domainError';
import { ApiError } from './apiError';
import type { ApiResponse } from './apiTypes';

export const httpStatusOfKind: Record<ErrorKind, number> = {
  input: 400,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  capacity: 503,
};

/** The status and message the caller may see; null for an unexpected error (a 500). */
export function callerFacingError(error: unknown): { statusCode: number; message: string } | null {
  if (error instanceof ApiError) return { statusCode: error.statusCode, message: error.message };
  if (error instanceof DomainError) return { statusCode: httpStatusOfKind[error.kind], message: error.message };
  return null;
}

export function errorResponse(error: unknown): ApiResponse {
  const known = callerFacingError(error);
  if (known) return { statusCode: known.statusCode, body: { error: known.message } };
  // The details go to the log (CloudWatch / the terminal), never to the caller.
  console.error('api: unexpected error', error);
  return { statusCode: 500, body: { error: 'internal error; the server log has the details' } };
}
