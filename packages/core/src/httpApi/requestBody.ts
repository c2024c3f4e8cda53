import { ApiError, badRequest } from './apiError';

/** Every route takes small JSON bodies; exports go straight to S3, never through the API. */
export const maxRequestBodyBytes = 64 * 1024;

/** The body as a JSON object (an empty body is `{}`). */
export function jsonBodyOf(body: string | null): Record<string, unknown> {
  if (body === null || body.trim() === '') return {};
  if (Buffer.byteLength(body, 'utf8') > maxRequestBodyBytes) {
    throw new ApiError(413, `the request body is larger than ${maxRequestBodyBytes / 1024} KB`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}
