// GET /search?q=…[&limit=&cursor=&from=YYYY-MM-DD&to=YYYY-MM-DD&model=]: full-text search over the
// caller's archive (the user comes from the request, never from the query). A query the person
// has to change (empty, too long, only punctuation, an open quote, a bad filter) is a
// SearchQueryError, a 400 that says what is wrong.

import { searchArchive } from '../search/searchArchive';
import type { RouteHandler } from './apiTypes';
import { pageQueryOf } from './pageQuery';
import type { ApiResponseBodies } from './apiResponses';

export const searchRoute: RouteHandler = async (ctx, request) => {
  const page = pageQueryOf(request.query, 100);
  const result = await searchArchive(ctx, request.user.userId, {
    q: request.query.q ?? '',
    ...page,
    ...(request.query.from ? { from: request.query.from } : {}),
    ...(request.query.to ? { to: request.query.to } : {}),
    ...(request.query.model ? { model: request.query.model } : {}),
  });
  return { statusCode: 200, body: result satisfies ApiResponseBodies['GET /search'] };
};
