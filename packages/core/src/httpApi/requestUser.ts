// The ONE place that decides who a request is from. On AWS: the `sub` claim API Gateway's JWT
// authorizer verified. Locally: the identity the local server configured in its own process
// environment. Never anything the request itself says (headers, query, body).

import { isSafeKeySegment } from '../archive/objectKeys';
import { ApiError } from './apiError';
import type { RequestUser } from './apiTypes';

/** Set only by the local server (packages/local/src/server) in its own process. */
export const localUserVariable = 'THREADLINE_LOCAL_USER';
export const defaultLocalUser = 'local';

/** The part of an API Gateway v2 event (JWT authorizer) that carries verified claims. */
export interface AuthorizedEvent {
  requestContext: { authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } } };
}

export function requestUserOf(event: AuthorizedEvent, env: NodeJS.ProcessEnv = process.env): RequestUser {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub === 'string' && sub !== '') {
    // Cognito subs are UUIDs; anything else cannot safely name a key segment.
    if (!isSafeKeySegment(sub)) throw new ApiError(403, 'this account cannot use the archive (unsupported user id)');
    return { userId: sub, local: false };
  }
  const localUser = env[localUserVariable];
  if (localUser) {
    if (!isSafeKeySegment(localUser)) throw new ApiError(500, 'the local identity is misconfigured');
    return { userId: localUser, local: true };
  }
  throw new ApiError(401, 'sign in first');
}
