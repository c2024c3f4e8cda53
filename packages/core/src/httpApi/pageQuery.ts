import { badRequest } from './apiError';

/** `?limit=&cursor=` of a listing, checked: a page size within [1, max]. */
export function pageQueryOf(
  query: Record<string, string | undefined>,
  max: number,
): { limit?: number; cursor?: string } {
  const page: { limit?: number; cursor?: string } = {};
  if (query.limit !== undefined && query.limit !== '') {
    const limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > max) throw badRequest(`limit must be an integer from 1 to ${max}`);
    page.limit = limit;
  }
  if (query.cursor) {
    if (query.cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(query.cursor)) throw badRequest('invalid cursor');
    page.cursor = query.cursor;
  }
  return page;
}
