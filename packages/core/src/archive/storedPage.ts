// How a page is stored in the table. Its messages are one compressed JSON array (`messages_br`,
// compressedJson.ts), not a DynamoDB list of maps: pages are most of what an import writes, they
// shrink ~2.7× (fewer write units on AWS: DynamoDB bills per started KB), and one binary
// attribute is far cheaper to marshal, send and store than 16 nested maps of 11 attributes — for
// the SDK, which serializes each attribute in JavaScript, and for DynamoDB Local, which parses
// each one. The messages' hashes are one binary attribute too (`hashes_bin`): the first 16 bytes
// of each sha256, enough to count changed messages (planDiff.ts), at a quarter of a list of hex
// strings (which was a fifth of a page). The page hash stays the full sha256 of the full hashes,
// so whether a page changed is decided as before. Pages written before (`messages` and `hashes`
// as lists) are still read. Pure.
//
// The offload decision (offloadLargeFields.ts) is still taken on the plain messages' size, so it
// stays what it was and repeating it for a kept page needs no compression.

import { compressJson, decompressJson } from './compressedJson';
import type { StoredMessage } from './conversationItems';
import type { MessagePageItem } from './messagePages';

/** Bytes of each message hash a page keeps. */
const STORED_HASH_BYTES = 16;

/** A page as the table holds it. */
export type StoredPageItem = Omit<MessagePageItem, 'messages' | 'hashes'> & {
  messages_br?: Uint8Array;
  hashes_bin?: Uint8Array;
  /** Pages written before 2026-12-02. */
  messages?: StoredMessage[];
  hashes?: string[];
};

export function storedPage(page: MessagePageItem): StoredPageItem {
  const { messages, hashes, ...rest } = page;
  const hashBytes = Buffer.alloc(hashes.length * STORED_HASH_BYTES);
  hashes.forEach((hash, index) => hashBytes.write(hash.slice(0, 2 * STORED_HASH_BYTES), index * STORED_HASH_BYTES, 'hex'));
  return { ...rest, hashes_bin: hashBytes, messages_br: compressJson(messages) };
}

/** A stored page's messages, whichever way they are stored. */
export function pageMessages(item: Pick<StoredPageItem, 'messages' | 'messages_br'>): StoredMessage[] {
  if (item.messages_br) return decompressJson<StoredMessage[]>(item.messages_br);
  return item.messages ?? [];
}

/**
 * A stored page's message hashes in position order, as hex: a full messageHash (pages written
 * before) or its first 16 bytes. `sameMessageHash` compares either with a full one.
 */
export function pageMessageHashes(item: Pick<StoredPageItem, 'hashes' | 'hashes_bin'>): string[] {
  const bytes = item.hashes_bin;
  if (!bytes) return item.hashes ?? [];
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return Array.from({ length: bytes.byteLength / STORED_HASH_BYTES }, (_, index) => hex.slice(index * 2 * STORED_HASH_BYTES, (index + 1) * 2 * STORED_HASH_BYTES));
}

/** Whether a stored hash (full or shortened) is that of the message whose full hash is `full`. */
export function sameMessageHash(stored: string | undefined, full: string): boolean {
  return stored !== undefined && stored.length > 0 && full.startsWith(stored);
}
