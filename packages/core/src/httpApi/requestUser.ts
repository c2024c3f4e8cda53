// The ONE place that decides who a request is from. On AWS: the `sub` claim API Gateway's JWT
// authorizer verified. Locally: the identity the local server put in the API's context. Never
// anything the request itself says (headers, query, body).

import { isSafeKeySegment } from '../archive/objectKeys';
import { ApiError } from './apiError';
import type { RequestUser } from './apiTypes';

/** The local identity when the local server is given none (the CLI's default user too). */
export const defaultLocalUser = 'local';

/** The part of an API Gateway v2 event (JWT authorizer) that carries verified claims. */
export interface AuthorizedEvent {
  requestContext: { authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } } };
}

/** `localUser`: the identity of a server without sign-in (locally); absent on AWS. */
export function requestUserOf(event: AuthorizedEvent, localUser?: string): RequestUser {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub === 'string' && sub !== '') {
    // Cognito subs are UUIDs; anything else cannot safely name a key segment.
    if (!isSafeKeySegment(sub)) throw new ApiError(403, 'this account cannot use the archive (unsupported user id)');
    return { userId: sub, local: false };
  }
  if (localUser) {
    if (!isSafeKeySegment(localUser)) throw new ApiError(500, 'the local identity is misconfigured');
    return { userId: localUser, local: true };
  }
  throw new ApiError(401, 'sign in first');
}
