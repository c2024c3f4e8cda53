// API Gateway HTTP API (payload v2) events in and results out. Only the fields the API reads are
// typed here, so core needs no Lambda types; aws-lambda's APIGatewayProxyEventV2WithJWTAuthorizer
// satisfies this shape.

import { ApiError } from './apiError';
import type { ApiRequest, ApiResponse } from './apiTypes';
import { maxRequestBodyBytes } from './requestBody';
import { requestUserOf, type AuthorizedEvent } from './requestUser';

export interface HttpApiEvent extends AuthorizedEvent {
  rawPath: string;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: AuthorizedEvent['requestContext'] & { http: { method: string } };
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request the routes see; throws ApiError for a missing identity or an oversized body.
 * `localUser` (the API context's) serves requests without verified claims, locally.
 */
export function apiRequestOf(event: HttpApiEvent, localUser?: string): ApiRequest {
  const body = event.body === undefined || event.body === null
    ? null
    : event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body;
  if (body !== null && Buffer.byteLength(body, 'utf8') > maxRequestBodyBytes) {
    throw new ApiError(413, `the request body is larger than ${maxRequestBodyBytes / 1024} KB`);
  }
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: { ...event.queryStringParameters },
    body,
    user: requestUserOf(event, localUser),
  };
}

export function httpApiResultOf(response: ApiResponse): HttpApiResult {
  return {
    statusCode: response.statusCode,
    // no-store: job status and conversations change; a cached answer would freeze the page.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(response.body),
  };
}
