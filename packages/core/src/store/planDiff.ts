// The diff between what is stored for a conversation and an incoming version of it: which
// messages to put, which to delete, and the META item to commit last. Pure.

import type { NormalizedConversation } from '../conversation/normalizedConversation';
import {
  conversationItems,
  type ConversationMetaItem,
  type ItemOwner,
  type MessageItem,
} from './conversationItems';
import type { ItemKey } from './conversationKeys';

export type DiffVerdict = 'created' | 'updated' | 'unchanged' | 'skipped_stale';

export interface StoredMetaState {
  content_hash: string;
  update_time: string | null;
  messages_dirty?: boolean;
}

export interface StoredMessageState {
  sk: string;
  hash: string;
}

export interface StoredConversationState {
  meta: StoredMetaState | null;
  messages: StoredMessageState[];
}

export interface ConversationDiff {
  verdict: DiffVerdict;
  /** MSG items that are new or changed (by position key and hash). */
  put: MessageItem[];
  /** MSG keys no longer on the canonical thread. */
  delete: ItemKey[];
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
  if (verdict === 'unchanged' || verdict === 'skipped_stale') return { verdict, put: [], delete: [], meta: null };

  const { meta, messages } = conversationItems(owner, incoming);
  const incomingKeys = new Set<string>();
  for (const item of messages) {
    if (incomingKeys.has(item.sk)) throw new Error(`two messages at position ${item.position}`);
    incomingKeys.add(item.sk);
  }
  // Stored messages are compared even when there is no META: a crashed first attempt may have
  // left some, and they must be reused or removed like any other.
  const storedHashes = new Map(stored.messages.map((message) => [message.sk, message.hash]));
  return {
    verdict,
    put: messages.filter((item) => storedHashes.get(item.sk) !== item.hash),
    delete: stored.messages
      .filter((message) => !incomingKeys.has(message.sk))
      .map((message) => ({ pk: meta.pk, sk: message.sk })),
    meta,
  };
}
