// Every route of the HTTP API, and the dispatcher: match the path, check the method, run the
// route, and turn any error into `{ error }` with the right status (errorStatus.ts). Unknown
// paths are 404, known paths with another method 405, unexpected errors 500 with no internals in
// the body.

import { ApiError } from './apiError';
import { errorResponse } from './errorStatus';

// The Lambda handler answers errors outside routing (a bad event) the same way.
export { errorResponse };
import type { ApiContext, ApiRequest, ApiResponse, RouteHandler } from './apiTypes';
import { getActivity } from './activityRoute';
import {
  deleteConversationRoute,
  getConversationRoute,
  listConversationsRoute,
  listMessagesRoute,
} from './conversationRoutes';
import { getImportExecution } from './executionRoutes';
import { completeImportUpload, createImport, getImport, getImportReport, listImports } from './importRoutes';
import { getMe } from './meRoute';
import { retryImportRoute } from './retryRoute';
import { searchRoute } from './searchRoute';
import { apiRoutes, type ApiRoute } from './apiRoutes';

/** A handler for every route in apiRoutes, and no other: the Record type makes it exhaustive. */
const handlers: Record<ApiRoute, RouteHandler> = {
  'GET /me': getMe,
  'POST /imports': createImport,
  'POST /imports/{id}/complete': completeImportUpload,
  'GET /imports': listImports,
  'GET /imports/{id}': getImport,
  'GET /imports/{id}/report': getImportReport,
  'GET /imports/{id}/execution': getImportExecution,
  'POST /imports/{id}/retry': retryImportRoute,
  'GET /activity': getActivity,
  'GET /conversations': listConversationsRoute,
  'GET /conversations/{id}': getConversationRoute,
  'GET /conversations/{id}/messages': listMessagesRoute,
  'DELETE /conversations/{id}': deleteConversationRoute,
  'GET /search': searchRoute,
};

const routeTable = apiRoutes.map((route) => ({ route, handler: handlers[route] }));

export async function routeRequest(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  try {
    const segments = pathSegments(request.path);
    if (!segments) throw new ApiError(400, 'the path is not valid URL encoding');
    const matches = routeTable
      .map((entry) => ({ entry, params: matchPath(entry.route.split(' ')[1]!, segments) }))
      .filter((match) => match.params !== null);
    if (matches.length === 0) throw new ApiError(404, `no such endpoint: ${request.path}`);
    const method = request.method.toUpperCase();
    const match = matches.find(({ entry }) => entry.route.split(' ')[0] === method);
    if (!match) {
      const allowed = matches.map(({ entry }) => entry.route.split(' ')[0]).join(', ');
      throw new ApiError(405, `${method} is not allowed on ${request.path} (allowed: ${allowed})`);
    }
    return await match.entry.handler(ctx, request, match.params!);
  } catch (error) {
    return errorResponse(error);
  }
}

function pathSegments(path: string): string[] | null {
  try {
    return path.split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/').filter((part) => part !== '');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) params[name] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
