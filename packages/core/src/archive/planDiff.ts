// The diff between what is stored for a conversation and an incoming version of it: which message
// pages to put, which to delete, and the META item to commit last; plus the per-message counts
// the job reports (a message is put when its position's stored hash differs, deleted when its
// position is past the new end). Pure.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT, layoutOf, MESSAGES_PER_PAGE } from './archiveLayout';
import { conversationItems, type ConversationMetaItem, type ItemOwner } from './conversationItems';
import { pageIndexOfSk, positionOfMessageSk, type ItemKey } from './conversationKeys';
import type { MessagePageItem } from './messagePages';
import { sameMessageHash } from './storedPage';

export type DiffVerdict = 'created' | 'updated' | 'unchanged' | 'skipped_stale';

export interface StoredMetaState {
  content_hash: string;
  update_time: string | null;
  messages_dirty?: boolean;
  message_count?: number;
  layout?: number;
}

/** A stored page as the diff needs it: never its texts. */
export interface StoredPageState {
  sk: string;
  page_hash: string;
  /** Full messageHashes or their first 16 bytes, hex (storedPage.ts). */
  hashes: string[];
  offloaded_keys?: string[];
}

/** A layout-1 message item (archiveLayout.ts) still stored under the conversation. */
export interface StoredMessageState {
  sk: string;
  hash: string;
}

export interface StoredConversationState {
  meta: StoredMetaState | null;
  pages: StoredPageState[];
  /** Layout-1 items: replaced by pages and deleted once the META is committed. */
  legacyMessages?: StoredMessageState[];
}

export interface ConversationDiff {
  verdict: DiffVerdict;
  /** Every page of the incoming thread. */
  pages: MessagePageItem[];
  /** Pages that are new or changed (by key and page hash). */
  put: MessagePageItem[];
  /** Pages past the new end of the thread. */
  delete: ItemKey[];
  /** Layout-1 message items, deleted after the commit (until then they are the committed thread). */
  deleteAfterCommit: ItemKey[];
  /** Objects the committed pages reference, so they exist: a rewritten page need not put them again. */
  storedObjectKeys: Set<string>;
  /** Per message: new or changed positions, and stored positions no longer on the thread. */
  messagesPut: number;
  messagesDeleted: number;
  /** The META item to write last (the commit marker); null when nothing is written. */
  meta: ConversationMetaItem | null;
}

/**
 * True when the stored version is newer than the incoming one, so the incoming must not replace
 * it. Times are ISO-8601 UTC strings, which compare as strings (the same comparison the
 * conditional META put makes). An undated incoming version never replaces a dated one.
 */
export function storedIsNewer(storedUpdateTime: string | null, incomingUpdateTime: string | null): boolean {
  if (storedUpdateTime === null) return false;
  if (incomingUpdateTime === null) return true;
  return storedUpdateTime > incomingUpdateTime;
}

/** The verdict from the META alone; the writer uses it to skip reading messages. */
export function conversationVerdict(stored: StoredMetaState | null, incoming: NormalizedConversation): DiffVerdict {
  if (stored === null) return 'created';
  if (stored.content_hash === incoming.content_hash && !stored.messages_dirty) return 'unchanged';
  if (storedIsNewer(stored.update_time, incoming.update_time)) return 'skipped_stale';
  return 'updated';
}

export function planDiff(
  stored: StoredConversationState,
  incoming: NormalizedConversation,
  owner: ItemOwner,
): ConversationDiff {
  const verdict = conversationVerdict(stored.meta, incoming);
  if (verdict === 'unchanged' || verdict === 'skipped_stale') {
    return { verdict, pages: [], put: [], delete: [], deleteAfterCommit: [], storedObjectKeys: new Set(), messagesPut: 0, messagesDeleted: 0, meta: null };
  }

  const { meta, pages } = conversationItems(owner, incoming);
  // What is stored is what the committed layout's items hold, orphans included (so removing them
  // counts, as it did with one item per message). A page is reused only when it lies wholly
  // within the committed thread (below the stored META's message_count): one beyond it, left by a
  // crashed attempt, may reference offloaded objects a later commit already deleted.
  const storedCount = stored.meta?.message_count ?? 0;
  const storedHashes = new Map<number, string>();
  const reusablePages = new Map<string, string>();
  const storedObjectKeys = new Set<string>();
  if (!stored.meta) {
    // Nothing committed: every message is new, whatever a crashed attempt left.
  } else if (layoutOf(stored.meta) === CURRENT_LAYOUT) {
    for (const page of stored.pages) {
      const first = pageIndexOfSk(page.sk) * MESSAGES_PER_PAGE;
      page.hashes.forEach((hash, offset) => storedHashes.set(first + offset, hash));
      if (first + page.hashes.length > storedCount) continue;
      reusablePages.set(page.sk, page.page_hash);
      for (const key of page.offloaded_keys ?? []) storedObjectKeys.add(key);
    }
  } else {
    for (const message of stored.legacyMessages ?? []) storedHashes.set(positionOfMessageSk(message.sk), message.hash);
  }
  const incomingHashes = pages.flatMap((page) => page.hashes);
  let messagesPut = 0;
  incomingHashes.forEach((hash, position) => {
    if (!sameMessageHash(storedHashes.get(position), hash)) messagesPut += 1;
  });
  let messagesDeleted = 0;
  for (const position of storedHashes.keys()) if (position >= incomingHashes.length) messagesDeleted += 1;
  const incomingPageKeys = new Set(pages.map((page) => page.sk));

  return {
    verdict,
    pages,
    put: pages.filter((page) => reusablePages.get(page.sk) !== page.page_hash),
    delete: stored.pages.filter((page) => !incomingPageKeys.has(page.sk)).map((page) => ({ pk: meta.pk, sk: page.sk })),
    deleteAfterCommit: (stored.legacyMessages ?? []).map((message) => ({ pk: meta.pk, sk: message.sk })),
    storedObjectKeys,
    messagesPut,
    messagesDeleted,
    meta,
  };
}
