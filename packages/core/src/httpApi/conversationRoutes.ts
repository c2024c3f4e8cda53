// GET /conversations, GET /conversations/{id}, GET /conversations/{id}/messages,
// DELETE /conversations/{id}.

import { deleteConversation } from '../archive/deleteConversation';
import { getConversation } from '../archive/getConversation';
import { listMessages } from '../archive/listMessages';
import { withMessageAssets } from '../archive/messageAssets';
import { withAssetUrls } from './assetUrls';
import { badRequest, notFound } from './apiError';
import type { RouteHandler } from './apiTypes';
import { searchConversationTitles } from './conversationTitleSearch';
import { pageQueryOf } from './pageQuery';
import type { ApiResponseBodies } from './apiResponses';

/** Newest first; `?q=` keeps only titles containing it (case-insensitive). */
export const listConversationsRoute: RouteHandler = async (ctx, request) => {
  const page = pageQueryOf(request.query, 200);
  const q = (request.query.q ?? '').trim();
  if (q.length > 200) throw badRequest('the search text is longer than 200 characters');
  const result = await searchConversationTitles(ctx, request.user.userId, { ...page, q });
  return { statusCode: 200, body: result satisfies ApiResponseBodies['GET /conversations'] };
};

/** The conversation with its Markdown transcript (offloaded texts resolved). */
export const getConversationRoute: RouteHandler = async (ctx, request, params) => {
  const conversation = await getConversation(ctx, request.user.userId, params.id!);
  if (!conversation) throw notFound(`no conversation ${JSON.stringify(params.id)}`);
  return { statusCode: 200, body: conversation satisfies ApiResponseBodies['GET /conversations/{id}'] };
};

/** Messages in thread order, a page at a time; each with its files (`assets`, a URL for each stored one). */
export const listMessagesRoute: RouteHandler = async (ctx, request, params) => {
  const page = pageQueryOf(request.query, 1000);
  const messages = await listMessages(ctx, request.user.userId, params.id!, page);
  // An empty first page may mean "no such conversation": say so rather than return nothing.
  if (messages.items.length === 0 && !page.cursor && !(await getConversation(ctx, request.user.userId, params.id!))) {
    throw notFound(`no conversation ${JSON.stringify(params.id)}`);
  }
  const withAssets = await withMessageAssets(ctx, request.user.userId, messages.items);
  return { statusCode: 200, body: { ...messages, items: await withAssetUrls(ctx, request.user.userId, withAssets) } satisfies ApiResponseBodies['GET /conversations/{id}/messages'] };
};

export const deleteConversationRoute: RouteHandler = async (ctx, request, params) => {
  const result = await deleteConversation(ctx, request.user.userId, params.id!);
  if (!result.existed) throw notFound(`no conversation ${JSON.stringify(params.id)}`);
  return { statusCode: 200, body: { deleted: params.id, messagesDeleted: result.messages_deleted, objectsDeleted: result.objects_deleted, assetsDeleted: result.assets_deleted } satisfies ApiResponseBodies['DELETE /conversations/{id}'] };
};
