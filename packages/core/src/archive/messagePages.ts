// Layout 2: a conversation's messages grouped by position into pages (archiveLayout.ts says why
// by fixed positions). Page n is the item `PAGE#n` holding positions [n·P, n·P + P); it carries
// each message's hash, in position order, so the diff can count messages put and deleted without
// reading texts, and a page hash so an unchanged page costs no write. Pure.

import { createHash } from 'node:crypto';
import { messageHash } from '../conversation/contentHash';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { MESSAGES_PER_PAGE, pageIndexOf } from './archiveLayout';
import type { StoredMessage } from './conversationItems';
import { conversationPk, pageSk, type ItemKey } from './conversationKeys';
import { errorClass } from '../errors/errorClass';

export interface MessagePageItem extends ItemKey {
  /** messageHash (contentHash.ts) of each message, position order: hashes[i] is position n·P + i. */
  hashes: string[];
  /** sha256 of `hashes`: equal page hashes mean equal pages. */
  page_hash: string;
  messages: StoredMessage[];
  /** The S3 keys of texts this page keeps offloaded; absent when none. */
  offloaded_keys?: string[];
}

export class MessagePositionError extends errorClass('MessagePositionError') {}

export function pageHash(hashes: readonly string[]): string {
  return createHash('sha256').update(hashes.join('\n')).digest('hex');
}

/** The pages of a thread whose positions are 0..n-1 in order (as normalization numbers them). */
export function messagePageItems(userId: string, conversationId: string, messages: readonly NormalizedMessage[]): MessagePageItem[] {
  const pk = conversationPk(userId, conversationId);
  const pages: MessagePageItem[] = [];
  messages.forEach((message, index) => {
    if (message.position !== index) {
      throw new MessagePositionError(
        messages.findIndex((other) => other.position === message.position) < index
          ? `two messages at position ${message.position}`
          : `message ${index} has position ${message.position}: positions must be 0..n-1 in order`,
      );
    }
    const pageIndex = pageIndexOf(index);
    if (index % MESSAGES_PER_PAGE === 0) pages.push({ pk, sk: pageSk(pageIndex), hashes: [], page_hash: '', messages: [] });
    const page = pages[pageIndex];
    page.hashes.push(messageHash(message));
    page.messages.push(storedMessage(message));
  });
  for (const page of pages) page.page_hash = pageHash(page.hashes);
  return pages;
}

function storedMessage(message: NormalizedMessage): StoredMessage {
  return {
    message_id: message.id,
    position: message.position,
    role: message.role,
    author_name: message.author_name,
    content_type: message.content_type,
    text: message.text,
    create_time: message.create_time,
    model: message.model,
    recipient: message.recipient,
    attachments: message.attachments,
    asset_pointers: message.asset_pointers,
  };
}

/** How many pages hold a thread of `messageCount` messages. */
export function pageCount(messageCount: number): number {
  return Math.ceil(messageCount / MESSAGES_PER_PAGE);
}
