// Chosen messages of several conversations in one go (BatchGetItem), offloaded texts resolved:
// what search needs for snippets and phrase checks, without reading whole threads.

import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { batchGetItems } from './batchGetItems';
import { messageFromItem, type MessageItem } from './conversationItems';
import { conversationPk, messageSk } from './conversationKeys';
import { resolveText } from './offloadedObjects';
import type { StoreContext } from './storeContext';

/** conversation id → position → message; positions not stored are absent. */
export async function messagesAtPositions(
  ctx: StoreContext,
  userId: string,
  wanted: ReadonlyMap<string, Iterable<number>>,
): Promise<Map<string, Map<number, NormalizedMessage>>> {
  const keys = [...wanted].flatMap(([conversationId, positions]) =>
    [...new Set(positions)].map((position) => ({ pk: conversationPk(userId, conversationId), sk: messageSk(position) })),
  );
  const items = (await batchGetItems(ctx, ctx.resources.tables.Conversations, keys)) as unknown as MessageItem[];
  const byPk = new Map([...wanted.keys()].map((conversationId) => [conversationPk(userId, conversationId), conversationId]));
  const found = new Map<string, Map<number, NormalizedMessage>>();
  await Promise.all(
    items.map(async (item) => {
      const conversationId = byPk.get(item.pk)!;
      const message = messageFromItem(item, await resolveText(ctx, item.text, item.text_ref));
      let messages = found.get(conversationId);
      if (!messages) found.set(conversationId, (messages = new Map()));
      messages.set(message.position, message);
    }),
  );
  return found;
}
