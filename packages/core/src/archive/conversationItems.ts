// Item mapping between a NormalizedConversation and the Conversations table: one META item (the
// conversation's fields, its transcript and raw text, the byUser index keys and the layout its
// messages are stored in) and the messages of the canonical thread, stored in pages
// (messagePages.ts; layout 1 stored one MessageItem each).

import type { NormalizedConversation, NormalizedMessage } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT } from './archiveLayout';
import { conversationGsiSk, conversationPk, META_SK, userPartition, type ItemKey } from './conversationKeys';
import { messagePageItems, type MessagePageItem } from './messagePages';

/** Where an offloaded text lives in S3; `sha256` and `bytes` describe its UTF-8 body. */
export interface ObjectRef {
  key: string;
  sha256: string;
  bytes: number;
}

/** Who stores an item and when: written on every META so a record says which import made it. */
export interface ItemOwner {
  userId: string;
  importId: string;
  /** ISO-8601 time of the write (passed in so item mapping stays pure). */
  storedAt: string;
}

/** The conversation's own fields, as NormalizedConversation defines them. */
type StoredConversationFields = Omit<NormalizedConversation, 'messages' | 'transcript' | 'raw_text'>;

export interface ConversationMetaItem extends ItemKey, StoredConversationFields {
  gsi1pk: string;
  gsi1sk: string;
  user_id: string;
  /**
   * Inline — plain, or when long compressed together with raw_text in `texts_br` (metaTexts.ts) —
   * or in S3 behind `transcript_ref` when the item would be too large.
   */
  transcript?: string;
  transcript_ref?: ObjectRef;
  raw_text?: string;
  raw_text_ref?: ObjectRef;
  texts_br?: Uint8Array;
  /** Each text gzipped alone: written until 2026-12-02, still read. */
  transcript_gz?: Uint8Array;
  raw_text_gz?: Uint8Array;
  import_id: string;
  stored_at: string;
  /** The layout of this conversation's messages (archiveLayout.ts); absent in layout 1. */
  layout?: number;
  /**
   * Set when a stale writer lost the META race after it had already written messages: the next
   * import then rewrites the messages even though content_hash matches.
   */
  messages_dirty?: boolean;
}

/** A message's fields as NormalizedMessage defines them (inside a page); its id is stored as `message_id`. */
export interface StoredMessage extends Omit<NormalizedMessage, 'id' | 'text'> {
  message_id: string;
  /** Inline, or in S3 behind `text_ref` when its page would be too large. */
  text?: string;
  text_ref?: ObjectRef;
}

/** Layout 1: one item per message, with the messageHash the diff compared. */
export interface MessageItem extends ItemKey, StoredMessage {
  hash: string;
}

/** A conversation as stored, without its messages. */
export type StoredConversation = Omit<NormalizedConversation, 'messages'> & {
  import_id: string;
  stored_at: string;
};

/** What a listing shows: no transcript, raw text or warnings. */
export type ConversationSummary = Omit<StoredConversation, 'transcript' | 'raw_text' | 'warnings'>;

export const conversationSummaryAttributes = [
  'conversation_id',
  'title',
  'create_time',
  'update_time',
  'date',
  'time',
  'model',
  'is_archived',
  'message_count',
  'content_hash',
  'import_id',
  'stored_at',
] as const satisfies readonly (keyof ConversationSummary)[];

export function conversationMetaItem(owner: ItemOwner, conversation: NormalizedConversation): ConversationMetaItem {
  const id = conversation.conversation_id;
  return {
    pk: conversationPk(owner.userId, id),
    sk: META_SK,
    gsi1pk: userPartition(owner.userId),
    gsi1sk: conversationGsiSk(conversation.create_time, id),
    user_id: owner.userId,
    conversation_id: id,
    title: conversation.title,
    create_time: conversation.create_time,
    update_time: conversation.update_time,
    date: conversation.date,
    time: conversation.time,
    model: conversation.model,
    is_archived: conversation.is_archived,
    message_count: conversation.message_count,
    content_hash: conversation.content_hash,
    warnings: conversation.warnings,
    transcript: conversation.transcript,
    raw_text: conversation.raw_text,
    import_id: owner.importId,
    stored_at: owner.storedAt,
    layout: CURRENT_LAYOUT,
  };
}

/** The META item and the message pages (thread order) of one conversation. */
export function conversationItems(
  owner: ItemOwner,
  conversation: NormalizedConversation,
): { meta: ConversationMetaItem; pages: MessagePageItem[] } {
  return {
    meta: conversationMetaItem(owner, conversation),
    pages: messagePageItems(owner.userId, conversation.conversation_id, conversation.messages),
  };
}

/** A stored META item back as a conversation; offloaded texts are passed in once resolved. */
export function storedConversationFromItem(
  item: ConversationMetaItem,
  texts: { transcript: string; raw_text: string },
): StoredConversation {
  return {
    ...conversationSummaryFromItem(item),
    warnings: item.warnings ?? [],
    transcript: texts.transcript,
    raw_text: texts.raw_text,
  };
}

export function conversationSummaryFromItem(item: Partial<ConversationMetaItem>): ConversationSummary {
  return {
    conversation_id: item.conversation_id ?? '',
    title: item.title ?? '',
    create_time: item.create_time ?? null,
    update_time: item.update_time ?? null,
    date: item.date ?? null,
    time: item.time ?? null,
    model: item.model ?? null,
    is_archived: item.is_archived ?? false,
    message_count: item.message_count ?? 0,
    content_hash: item.content_hash ?? '',
    import_id: item.import_id ?? '',
    stored_at: item.stored_at ?? '',
  };
}

/** A stored message (of a page, or a layout-1 item) back as a message; an offloaded text is passed in once resolved. */
export function messageFromItem(item: StoredMessage, text: string): NormalizedMessage {
  return {
    id: item.message_id,
    position: item.position,
    role: item.role,
    author_name: item.author_name ?? null,
    content_type: item.content_type,
    text,
    create_time: item.create_time ?? null,
    model: item.model ?? null,
    recipient: item.recipient ?? null,
    attachments: item.attachments ?? [],
    asset_pointers: item.asset_pointers ?? [],
  };
}
