// What is stored under a conversation besides its META, as the diff, the delete and the object
// cleanup need it: page keys and hashes (and any layout-1 message items) — never their texts.
// Strongly consistent, so a retry sees its own writes.

import type { ObjectRef } from './conversationItems';
import { conversationPk, conversationsTableAttributes, MESSAGE_SK_PREFIX, META_SK, PAGE_SK_PREFIX } from './conversationKeys';
import type { StoredMessageState, StoredPageState } from './planDiff';
import { queryPages } from '../aws/queryPages';
import { pageMessageHashes, type StoredPageItem } from './storedPage';
import type { StoreContext } from './storeContext';

const { partitionKey, sortKey } = conversationsTableAttributes;

export interface StoredMessageRow extends StoredMessageState {
  text_ref?: ObjectRef;
}

export interface StoredThreadState {
  pages: StoredPageState[];
  /** Layout-1 message items (archiveLayout.ts). */
  legacyMessages: StoredMessageRow[];
}

export async function storedThreadState(ctx: StoreContext, userId: string, conversationId: string): Promise<StoredThreadState> {
  const state: StoredThreadState = { pages: [], legacyMessages: [] };
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    // Every item but META: `MSG#…` and `PAGE#…` both sort after it.
    KeyConditionExpression: `${partitionKey} = :pk AND ${sortKey} > :meta`,
    ExpressionAttributeValues: { ':pk': conversationPk(userId, conversationId), ':meta': META_SK },
    ExpressionAttributeNames: { '#hash': 'hash' },
    ProjectionExpression: `${sortKey}, page_hash, hashes, hashes_bin, offloaded_keys, #hash, text_ref`,
    ConsistentRead: true,
  });
  for await (const page of pages) {
    for (const item of page) {
      const sk = item[sortKey] as string;
      if (sk.startsWith(PAGE_SK_PREFIX)) {
        const { hashes_bin: _bytes, ...row } = item as unknown as StoredPageItem;
        state.pages.push({ ...(row as StoredPageState), hashes: pageMessageHashes(item as StoredPageItem) });
      } else if (sk.startsWith(MESSAGE_SK_PREFIX)) state.legacyMessages.push(item as unknown as StoredMessageRow);
    }
  }
  return state;
}

/** Messages the stored items hold (a page's hashes, or one per layout-1 item). */
export function storedMessageTotal(state: StoredThreadState): number {
  return state.legacyMessages.length + state.pages.reduce((sum, page) => sum + (page.hashes?.length ?? 0), 0);
}
