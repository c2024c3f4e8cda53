import { describe, expect, it } from 'vitest';
import { apiRequestOf, type HttpApiEvent } from '../../src/httpApi/apiGatewayEvent';
import { ApiError } from '../../src/httpApi/apiError';
import { requestUserOf } from '../../src/httpApi/requestUser';

function event(claims?: Record<string, string>, headers: Record<string, string> = {}): HttpApiEvent & { headers: Record<string, string> } {
  return {
    rawPath: '/me',
    headers,
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET' }, ...(claims ? { authorizer: { jwt: { claims } } } : {}) },
  };
}

describe('requestUserOf', () => {
  it('takes the verified sub claim on AWS, even when a local identity is configured', () => {
    expect(requestUserOf(event({ sub: '1a2b-3c' }), 'local')).toEqual({ userId: '1a2b-3c', local: false });
  });

  it('uses the configured local identity when there are no claims', () => {
    expect(requestUserOf(event(), 'alice')).toEqual({ userId: 'alice', local: true });
  });

  it('never believes the request: headers naming a user are ignored, and without identity it is 401', () => {
    const request = event(undefined, { 'x-user-id': 'mallory', authorization: 'Bearer forged' });
    expect(() => requestUserOf(request)).toThrow(ApiError);
    try {
      requestUserOf(request);
    } catch (error) {
      expect((error as ApiError).statusCode).toBe(401);
    }
  });

  it('refuses a sub that cannot be a key segment', () => {
    expect(() => requestUserOf(event({ sub: '../other' }))).toThrow(/unsupported user id/);
  });
});

describe('apiRequestOf', () => {
  it('decodes base64 bodies and rejects oversized ones with 413', () => {
    const base = event({ sub: 'u1' });
    const request = apiRequestOf({ ...base, body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true });
    expect(request.body).toBe('{"a":1}');
    expect(() => apiRequestOf({ ...base, body: 'x'.repeat(70_000) })).toThrow(/larger than 64 KB/);
  });
});
