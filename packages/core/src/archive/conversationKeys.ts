// Key builders for the Conversations table (layout in tableSchemas.ts). Every key is built from
// a validated userId, so one user's requests can never address another user's partition.

import { isSafeKeySegment } from './objectKeys';
import { domainError } from '../errors/domainError';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const META_SK = 'META';
/** Layout 1 (archiveLayout.ts): one `MSG#<position>` item per message. Read and migrated, never written. */
export const MESSAGE_SK_PREFIX = 'MSG#';
/** Layout 2: `PAGE#<index>` items, each holding MESSAGES_PER_PAGE consecutive positions. */
export const PAGE_SK_PREFIX = 'PAGE#';
/** Positions and page indexes are zero-padded so sort keys sort in thread order; up to 999,999. */
const POSITION_DIGITS = 6;
export const MAX_POSITION = 10 ** POSITION_DIGITS - 1;
/** DynamoDB allows 2 KB partition keys; conversation ids are UUIDs in practice. */
const MAX_CONVERSATION_ID_LENGTH = 256;

/** An id that cannot be part of a key (the caller's to fix: 400 through the API). */
export class InvalidKeyError extends domainError('InvalidKeyError', 'input') {}

export function assertUserId(userId: string): void {
  if (typeof userId !== 'string' || !isSafeKeySegment(userId)) {
    throw new InvalidKeyError(`invalid user id: ${JSON.stringify(userId)}`);
  }
}

/**
 * Conversation ids come from the export, so they are checked rather than trusted: non-empty,
 * bounded, no control characters. `#` is harmless inside them: the user id (which cannot contain
 * `#`) always comes first in the partition key.
 */
export function assertConversationId(conversationId: string): void {
  if (
    typeof conversationId !== 'string' ||
    conversationId.length === 0 ||
    conversationId.length > MAX_CONVERSATION_ID_LENGTH ||
    /[\u0000-\u001f\u007f]/.test(conversationId)
  ) {
    throw new InvalidKeyError(`invalid conversation id: ${JSON.stringify(conversationId)}`);
  }
}

/** `USER#<userId>`: the byUser index partition of a user's META items. */
export function userPartition(userId: string): string {
  assertUserId(userId);
  return `USER#${userId}`;
}

/** `USER#<userId>#CONV#<conversationId>`: one conversation's partition. */
export function conversationPk(userId: string, conversationId: string): string {
  assertConversationId(conversationId);
  return `${userPartition(userId)}#CONV#${conversationId}`;
}

/** The inverse of conversationPk for a pk known to belong to `userId`. */
export function conversationIdFromPk(userId: string, pk: string): string {
  const prefix = `${userPartition(userId)}#CONV#`;
  if (!pk.startsWith(prefix)) throw new InvalidKeyError(`pk ${JSON.stringify(pk)} is not a conversation of ${userId}`);
  return pk.slice(prefix.length);
}

export function messageSk(position: number): string {
  if (!Number.isInteger(position) || position < 0 || position > MAX_POSITION) {
    throw new InvalidKeyError(`message position out of range: ${position}`);
  }
  return `${MESSAGE_SK_PREFIX}${String(position).padStart(POSITION_DIGITS, '0')}`;
}

/** The position a layout-1 `MSG#000042` sort key stands for. */
export function positionOfMessageSk(sk: string): number {
  return Number(sk.slice(MESSAGE_SK_PREFIX.length));
}

export function pageSk(pageIndex: number): string {
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex > MAX_POSITION) {
    throw new InvalidKeyError(`message page out of range: ${pageIndex}`);
  }
  return `${PAGE_SK_PREFIX}${String(pageIndex).padStart(POSITION_DIGITS, '0')}`;
}

export function pageIndexOfSk(sk: string): number {
  return Number(sk.slice(PAGE_SK_PREFIX.length));
}

/**
 * `<create_time>#<conversationId>`: ISO-8601 times sort as strings, so the index lists newest
 * first when read backwards; a conversation without a create_time sorts as the oldest.
 */
export function conversationGsiSk(createTime: string | null, conversationId: string): string {
  return `${createTime ?? ''}#${conversationId}`;
}

export function metaKey(userId: string, conversationId: string): ItemKey {
  return { pk: conversationPk(userId, conversationId), sk: META_SK };
}
