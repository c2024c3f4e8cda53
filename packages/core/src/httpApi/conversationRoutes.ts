// GET /conversations, GET /conversations/{id}, GET /conversations/{id}/messages,
// DELETE /conversations/{id}.

import { InvalidKeyError } from '../archive/conversationKeys';
import { deleteConversation } from '../archive/deleteConversation';
import { getConversation } from '../archive/getConversation';
import { listMessages } from '../archive/listMessages';
import { withMessageAssets } from '../archive/messageAssets';
import { withAssetUrls } from './assetUrls';
import { InvalidCursorError } from '../archive/pageCursor';
import { ApiError, badRequest, notFound } from './apiError';
import type { RouteHandler } from './apiTypes';
import { searchConversationTitles } from './conversationTitleSearch';
import { pageQueryOf } from './pageQuery';
import type { ApiResponseBodies } from './apiResponses';

/** Newest first; `?q=` keeps only titles containing it (case-insensitive). */
export const listConversationsRoute: RouteHandler = async (ctx, request) => {
  const page = pageQueryOf(request.query, 200);
  const q = (request.query.q ?? '').trim();
  if (q.length > 200) throw badRequest('the search text is longer than 200 characters');
  const result = await storeCall(() => searchConversationTitles(ctx, request.user.userId, { ...page, q }));
  return { statusCode: 200, body: result satisfies ApiResponseBodies['GET /conversations'] };
};

/** The conversation with its Markdown transcript (offloaded texts resolved). */
export const getConversationRoute: RouteHandler = async (ctx, request, params) => {
  const conversation = await storeCall(() => getConversation(ctx, request.user.userId, params.id!));
  if (!conversation) throw notFound(`no conversation ${JSON.stringify(params.id)}`);
  return { statusCode: 200, body: conversation satisfies ApiResponseBodies['GET /conversations/{id}'] };
};

/** Messages in thread order, a page at a time; each with its files (`assets`, a URL for each stored one). */
export const listMessagesRoute: RouteHandler = async (ctx, request, params) => {
  const page = pageQueryOf(request.query, 1000);
  const result = await storeCall(async () => {
    const messages = await listMessages(ctx, request.user.userId, params.id!, page);
    // An empty first page may mean "no such conversation": say so rather than return nothing.
    if (messages.items.length === 0 && !page.cursor && !(await getConversation(ctx, request.user.userId, params.id!))) {
      throw notFound(`no conversation ${JSON.stringify(params.id)}`);
    }
    const withAssets = await withMessageAssets(ctx, request.user.userId, messages.items);
    return { ...messages, items: await withAssetUrls(ctx, request.user.userId, withAssets) };
  });
  return { statusCode: 200, body: result satisfies ApiResponseBodies['GET /conversations/{id}/messages'] };
};

export const deleteConversationRoute: RouteHandler = async (ctx, request, params) => {
  const result = await storeCall(() => deleteConversation(ctx, request.user.userId, params.id!));
  if (!result.existed) throw notFound(`no conversation ${JSON.stringify(params.id)}`);
  return { statusCode: 200, body: { deleted: params.id, messagesDeleted: result.messages_deleted, objectsDeleted: result.objects_deleted, assetsDeleted: result.assets_deleted } satisfies ApiResponseBodies['DELETE /conversations/{id}'] };
};

/** The store's validation errors are the caller's mistakes (a bad id or cursor): 400, not 500. */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof InvalidCursorError) throw badRequest('invalid cursor');
    if (error instanceof InvalidKeyError) throw badRequest(error.message.replace(/^invalid conversation id.*/, 'invalid conversation id'));
    throw error;
  }
}
