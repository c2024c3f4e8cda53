// How a page holds its messages in the table: one compressed JSON array (`messages_br`,
// compressedJson.ts), not a DynamoDB list of maps. Pages are most of what an import writes; they
// shrink ~2.7× (fewer write units on AWS: DynamoDB bills per started KB), and one binary attribute
// is far cheaper to marshal, send and store than 16 nested maps of 11 attributes — for the SDK,
// which serializes each attribute in JavaScript, and for DynamoDB Local, which parses each one.
// Pages written before (a plain `messages` list) are still read. Pure.
//
// The offload decision (offloadLargeFields.ts) is still taken on the plain messages' size, so it
// stays what it was and repeating it for a kept page needs no compression.

import { compressJson, decompressJson } from './compressedJson';
import type { StoredMessage } from './conversationItems';
import type { MessagePageItem } from './messagePages';

/** A page as the table holds it. */
export type StoredPageItem = Omit<MessagePageItem, 'messages'> & { messages?: StoredMessage[]; messages_br?: Uint8Array };

export function withCompressedMessages(page: MessagePageItem): StoredPageItem {
  const { messages, ...rest } = page;
  return { ...rest, messages_br: compressJson(messages) };
}

/** A stored page's messages, whichever way they are stored. */
export function pageMessages(item: Pick<StoredPageItem, 'messages' | 'messages_br'>): StoredMessage[] {
  if (item.messages_br) return decompressJson<StoredMessage[]>(item.messages_br);
  return item.messages ?? [];
}
