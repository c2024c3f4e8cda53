import type { RouteHandler } from './apiTypes';
import type { ApiResponseBodies } from './apiResponses';

/** GET /me: who the API takes the caller to be (locally: the configured identity, no sign-in). */
export const getMe: RouteHandler = async (_ctx, request) => ({
  statusCode: 200,
  body: { userId: request.user.userId, local: request.user.local } satisfies ApiResponseBodies['GET /me'],
});
