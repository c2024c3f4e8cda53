// Chosen messages of several conversations in one go (BatchGetItem), offloaded texts resolved:
// what search needs for snippets and phrase checks, without reading whole threads.
//
// Two batches in parallel: each conversation's META (its layout and message_count), and for
// each wanted position both the page that holds it (layout 2) and its layout-1 item, so an
// archive part-way through its migration reads in one round trip. The META decides which counts, and
// only positions below its message_count (the committed thread) are returned, as listMessages does.

import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT, layoutOf, pageIndexOf } from './archiveLayout';
import { batchGetItems } from '../aws/batchGetItems';
import { messageFromItem, type MessageItem, type StoredMessage } from './conversationItems';
import { conversationPk, conversationsTableAttributes, messageSk, metaKey, MESSAGE_SK_PREFIX, pageSk, PAGE_SK_PREFIX, type ItemKey } from './conversationKeys';
import type { MessagePageItem } from './messagePages';
import { resolveText } from './offloadedObjects';
import type { StoreContext } from './storeContext';

/** conversation id → position → message; positions not stored are absent. */
export async function messagesAtPositions(
  ctx: StoreContext,
  userId: string,
  wanted: ReadonlyMap<string, Iterable<number>>,
): Promise<Map<string, Map<number, NormalizedMessage>>> {
  const metaKeys: ItemKey[] = [];
  const messageKeys: ItemKey[] = [];
  for (const [conversationId, positions] of wanted) {
    const pk = conversationPk(userId, conversationId);
    const unique = [...new Set(positions)];
    metaKeys.push(metaKey(userId, conversationId));
    for (const pageIndex of new Set(unique.map(pageIndexOf))) messageKeys.push({ pk, sk: pageSk(pageIndex) });
    for (const position of unique) messageKeys.push({ pk, sk: messageSk(position) });
  }
  const table = ctx.resources.tables.Conversations;
  // METAs projected (a META may hold a 350 KB transcript), in parallel with the messages.
  const [metas, items] = (await Promise.all([
    batchGetItems(ctx, table, metaKeys, [conversationsTableAttributes.partitionKey, 'message_count', 'layout']),
    batchGetItems(ctx, table, messageKeys),
  ])) as unknown as [(Pick<ItemKey, 'pk'> & { message_count?: number; layout?: number })[], (ItemKey & Record<string, unknown>)[]];
  const byPk = new Map<string, { meta?: { message_count?: number; layout?: number }; pages: MessagePageItem[]; legacy: MessageItem[] }>();
  const groupOf = (pk: string) => {
    let group = byPk.get(pk);
    if (!group) byPk.set(pk, (group = { pages: [], legacy: [] }));
    return group;
  };
  for (const meta of metas) groupOf(meta.pk).meta = meta;
  for (const item of items) {
    if (item.sk.startsWith(PAGE_SK_PREFIX)) groupOf(item.pk).pages.push(item as unknown as MessagePageItem);
    else if (item.sk.startsWith(MESSAGE_SK_PREFIX)) groupOf(item.pk).legacy.push(item as unknown as MessageItem);
  }

  const found = new Map<string, Map<number, NormalizedMessage>>();
  await Promise.all(
    [...wanted].map(async ([conversationId, positions]) => {
      const group = byPk.get(conversationPk(userId, conversationId));
      if (!group?.meta) return;
      const committed = group.meta.message_count ?? 0;
      const asked = new Set([...positions].filter((position) => position < committed));
      const stored: StoredMessage[] =
        layoutOf(group.meta) === CURRENT_LAYOUT ? group.pages.flatMap((page) => page.messages) : group.legacy;
      const messages = new Map<number, NormalizedMessage>();
      for (const item of stored.filter((message) => asked.has(message.position))) {
        messages.set(item.position, messageFromItem(item, await resolveText(ctx, item.text, item.text_ref)));
      }
      if (messages.size > 0) found.set(conversationId, messages);
    }),
  );
  return found;
}
