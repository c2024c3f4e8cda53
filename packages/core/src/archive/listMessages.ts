// A conversation's messages in thread order, a page at a time, offloaded texts resolved.
//
// The META is the single source of truth: only positions < META.message_count belong to the
// committed thread, stored in the layout META names (archiveLayout.ts). Items beyond it are
// orphans a crashed earlier attempt left (see writeConversations.ts); they are never read. No
// META, no messages. A cursor is the next position, so it stays valid across a migration.
// META and the pages are read in parallel (the page range follows from the cursor alone): one
// round trip, plus one for a conversation still in layout 1 — or when the pages were read just
// before a newer version's commit that the META read saw: a committed META's pages exist, so
// reading them again after it returns the whole range.

import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT, layoutOf, pageIndexOf } from './archiveLayout';
import { messageFromItem, type StoredMessage } from './conversationItems';
import { conversationPk, conversationsTableAttributes, messageSk, metaKey, pageSk } from './conversationKeys';
import { pageMessages, type StoredPageItem } from './storedPage';
import { resolveText } from './offloadedObjects';
import { decodeCursor, encodeCursor, InvalidCursorError, pageLimit, type Page } from './pageCursor';
import type { StoreContext } from './storeContext';

const { partitionKey, sortKey } = conversationsTableAttributes;

export async function listMessages(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page<NormalizedMessage>> {
  const pk = conversationPk(userId, conversationId);
  const limit = pageLimit(options.limit, 100, 1000);
  const from = cursorPosition(options.cursor, pk);
  const to = from + limit; // exclusive, before the META bounds it
  const table = ctx.resources.tables.Conversations;
  const readPages = () => itemsBetween<StoredPageItem>(ctx, pk, pageSk(pageIndexOf(from)), pageSk(pageIndexOf(to - 1)));
  const [metaOutput, pages] = await Promise.all([
    ctx.clients.dynamo.send(
      new GetCommand({ TableName: table, Key: metaKey(userId, conversationId), ProjectionExpression: 'message_count, layout' }),
    ),
    readPages(),
  ]);
  if (!metaOutput.Item) return { items: [], cursor: null };
  const messageCount = (metaOutput.Item.message_count as number | undefined) ?? 0;
  const end = Math.min(to, messageCount);
  const inRange = (messages: StoredMessage[]) => messages.filter((message) => message.position >= from && message.position < end);
  let items: StoredMessage[];
  if (layoutOf(metaOutput.Item) === CURRENT_LAYOUT) {
    items = inRange(pages.flatMap(pageMessages));
    if (items.length < end - from) items = inRange((await readPages()).flatMap(pageMessages));
  } else {
    items = end > from ? inRange(await itemsBetween<StoredMessage>(ctx, pk, messageSk(from), messageSk(end - 1))) : [];
  }
  return {
    items: await Promise.all(items.map(async (item) => messageFromItem(item, await resolveText(ctx, item.text, item.text_ref)))),
    cursor: end < messageCount ? encodeCursor({ pk, position: String(end) }) : null,
  };
}

function cursorPosition(cursor: string | undefined, pk: string): number {
  const key = decodeCursor(cursor, { pk });
  if (!key) return 0;
  const position = Number(key.position);
  if (!Number.isInteger(position) || position < 0) throw new InvalidCursorError('malformed cursor');
  return position;
}

/** The items of a partition whose sort keys lie in [from, to], in order. */
async function itemsBetween<T>(ctx: StoreContext, pk: string, from: string, to: string): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.resources.tables.Conversations,
        KeyConditionExpression: `${partitionKey} = :pk AND ${sortKey} BETWEEN :from AND :to`,
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((output.Items ?? []) as T[]));
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return items;
}
