import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidKeyError } from '../archive/conversationKeys';
import { InvalidCursorError } from '../archive/pageCursor';
import { domainError, type ErrorKind } from '../errors/domainError';
import { RetryRefused } from '../importWorkflow/steps/retryImport';
import { IncompleteUpload } from '../importWorkflow/upload/multipartUpload';
import { SearchQueryError } from '../search/searchQuery';
import { ApiError, badRequest, notFound } from './apiError';
import { errorResponse, httpStatusOfKind } from './errorStatus';

afterEach(() => vi.restoreAllMocks());

describe('errorResponse', () => {
  it('answers a domain error with the status of its kind and its message', () => {
    const kinds: [ErrorKind, number][] = [['input', 400], ['not-found', 404], ['conflict', 409], ['gone', 410], ['capacity', 503]];
    for (const [kind, status] of kinds) {
      class Refused extends domainError('Refused', kind) {}
      expect(errorResponse(new Refused(`refused as ${kind}`))).toEqual({ statusCode: status, body: { error: `refused as ${kind}` } });
    }
    expect(Object.keys(httpStatusOfKind).sort()).toEqual(kinds.map(([kind]) => kind).sort());
  });

  it("maps the domain's own errors without any route translating them", () => {
    expect(errorResponse(new SearchQueryError('the search is empty'))).toEqual({ statusCode: 400, body: { error: 'the search is empty' } });
    expect(errorResponse(new InvalidCursorError('cursor belongs to another listing'))).toEqual({ statusCode: 400, body: { error: 'invalid cursor' } });
    expect(errorResponse(new InvalidKeyError('invalid user id: "a#b"')).statusCode).toBe(400);
    expect(errorResponse(new IncompleteUpload('the upload is incomplete')).statusCode).toBe(400);
    expect(errorResponse(new RetryRefused('no import x', 'not-found')).statusCode).toBe(404);
    expect(errorResponse(new RetryRefused('only a PARTIAL import', 'not-retryable')).statusCode).toBe(409);
    expect(errorResponse(new RetryRefused('another import is running', 'busy')).statusCode).toBe(409);
    expect(errorResponse(new RetryRefused('the upload is gone', 'upload-gone')).statusCode).toBe(410);
    expect(errorResponse(badRequest('limit must be an integer'))).toEqual({ statusCode: 400, body: { error: 'limit must be an integer' } });
    expect(errorResponse(notFound('no import "x"'))).toEqual({ statusCode: 404, body: { error: 'no import "x"' } });
    expect(errorResponse(new ApiError(405, 'GET is not allowed'))).toEqual({ statusCode: 405, body: { error: 'GET is not allowed' } });
  });

  it('hides anything else behind a 500 and logs it', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const secret = new Error('table threadline-prod-Conversations is missing');
    expect(errorResponse(secret)).toEqual({ statusCode: 500, body: { error: 'internal error; the server log has the details' } });
    expect(log).toHaveBeenCalledWith('api: unexpected error', secret);
  });
});
