// Chosen messages of several conversations in one go (BatchGetItem), offloaded texts resolved:
// what search needs for snippets and phrase checks, without reading whole threads.
//
// Each conversation's META (its layout, message_count and content_hash) decides what counts: only
// positions below its message_count (the committed thread) are returned, as listMessages does.
// For each wanted position both the page that holds it (layout 2) and its layout-1 item are
// read, in parallel with the METAs, so an archive part-way through its migration reads in one
// round trip. With a cache, a conversation whose version the caller knows (its content_hash) and
// whose wanted messages are all cached under it is not read at all; what is read is cached under
// the META's content_hash.

import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT, layoutOf, pageIndexOf } from './archiveLayout';
import { batchGetItems } from '../aws/batchGetItems';
import { messageFromItem, type MessageItem, type StoredMessage } from './conversationItems';
import { conversationPk, conversationsTableAttributes, messageSk, metaKey, MESSAGE_SK_PREFIX, pageSk, PAGE_SK_PREFIX, type ItemKey } from './conversationKeys';
import { pageMessages, type StoredPageItem } from './storedPage';
import { resolveText } from './offloadedObjects';
import type { StoreContext } from './storeContext';

/** Messages kept by a warm process, under the content_hash of the conversation version they belong to. */
export interface MessageCache {
  message(pk: string, contentHash: string, position: number): NormalizedMessage | undefined;
  keepMessage(pk: string, contentHash: string, message: NormalizedMessage): void;
}

type MetaState = Pick<ItemKey, 'pk'> & { message_count?: number; layout?: number; content_hash?: string };

/** METAs projected (a META may hold a 350 KB transcript). */
const metaAttributes = [conversationsTableAttributes.partitionKey, 'message_count', 'layout', 'content_hash'];

/** conversation id → position → message; positions not stored are absent. */
export async function messagesAtPositions(
  ctx: StoreContext,
  userId: string,
  wanted: ReadonlyMap<string, Iterable<number>>,
  cached?: { cache: MessageCache; versions: ReadonlyMap<string, string> },
): Promise<Map<string, Map<number, NormalizedMessage>>> {
  const table = ctx.resources.tables.Conversations;
  const found = new Map<string, Map<number, NormalizedMessage>>();
  const add = (conversationId: string, message: NormalizedMessage) => {
    let messages = found.get(conversationId);
    if (!messages) found.set(conversationId, (messages = new Map()));
    messages.set(message.position, message);
  };
  const asked = new Map<string, { conversationId: string; positions: number[] }>();
  for (const [conversationId, positions] of wanted) {
    const pk = conversationPk(userId, conversationId);
    const unique = [...new Set(positions)];
    const version = cached?.versions.get(conversationId);
    const hits = version === undefined ? [] : unique.map((position) => cached!.cache.message(pk, version, position));
    if (version !== undefined && hits.every((message) => message !== undefined)) hits.forEach((message) => add(conversationId, message!));
    else asked.set(pk, { conversationId, positions: unique });
  }
  if (asked.size === 0) return found;

  const metaKeys = [...asked.values()].map(({ conversationId }) => metaKey(userId, conversationId));
  const [metas, items] = (await Promise.all([batchGetItems(ctx, table, metaKeys, metaAttributes), batchGetItems(ctx, table, messageKeys(asked))])) as unknown as [
    MetaState[],
    (ItemKey & Record<string, unknown>)[],
  ];

  const byPk = new Map<string, { meta?: MetaState; pages: StoredPageItem[]; legacy: MessageItem[] }>();
  const groupOf = (pk: string) => {
    let group = byPk.get(pk);
    if (!group) byPk.set(pk, (group = { pages: [], legacy: [] }));
    return group;
  };
  for (const meta of metas) groupOf(meta.pk).meta = meta;
  for (const item of items) {
    if (item.sk.startsWith(PAGE_SK_PREFIX)) groupOf(item.pk).pages.push(item as unknown as StoredPageItem);
    else if (item.sk.startsWith(MESSAGE_SK_PREFIX)) groupOf(item.pk).legacy.push(item as unknown as MessageItem);
  }

  await Promise.all(
    [...byPk].map(async ([pk, group]) => {
      const { meta } = group;
      if (!meta) return;
      const { conversationId, positions } = asked.get(pk)!;
      const committed = meta.message_count ?? 0;
      const wantedHere = new Set(positions.filter((position) => position < committed));
      const stored: StoredMessage[] = layoutOf(meta) === CURRENT_LAYOUT ? group.pages.flatMap(pageMessages) : group.legacy;
      for (const item of stored.filter((message) => wantedHere.has(message.position))) {
        const message = messageFromItem(item, await resolveText(ctx, item.text, item.text_ref));
        if (cached && meta.content_hash !== undefined) cached.cache.keepMessage(pk, meta.content_hash, message);
        add(conversationId, message);
      }
    }),
  );
  return found;
}

/** For each position, the page that holds it (layout 2) and its layout-1 item. */
function messageKeys(asked: ReadonlyMap<string, { positions: readonly number[] }>): ItemKey[] {
  const keys: ItemKey[] = [];
  for (const [pk, { positions }] of asked) {
    for (const pageIndex of new Set(positions.map(pageIndexOf))) keys.push({ pk, sk: pageSk(pageIndex) });
    for (const position of positions) keys.push({ pk, sk: messageSk(position) });
  }
  return keys;
}
