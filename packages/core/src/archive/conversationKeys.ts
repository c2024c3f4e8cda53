// The Conversations table's key attributes and key prefixes, defined once (tableSchemas.ts
// builds the table from them), and the key builders (layout in tableSchemas.ts). Every key is
// built from a validated userId, so one user's requests can never address another user's partition.

import { isSafeKeySegment } from './objectKeys';
import { domainError } from '../errors/domainError';

/** The key attributes: generic, so one table holds several item kinds. */
export const conversationsTableAttributes = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** The sparse index listing a user's conversations: only META items carry its keys. */
  byUserIndex: { name: 'byUser', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

const { partitionKey, sortKey } = conversationsTableAttributes;

/** The primary key of any item of the table. */
export type ItemKey = Record<typeof partitionKey | typeof sortKey, string>;

/** Key prefixes, defined once: `USER#<u>` is every user partition's start, `#CONV#` joins a conversation id to it. */
const USER_PREFIX = 'USER#';
const CONVERSATION_INFIX = '#CONV#';
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
  return `${USER_PREFIX}${userId}`;
}

/** `USER#<userId>#CONV#<conversationId>`: one conversation's partition. */
export function conversationPk(userId: string, conversationId: string): string {
  assertConversationId(conversationId);
  return `${conversationPkPrefix(userId)}${conversationId}`;
}

/** What every conversation partition of `userId` starts with. */
export function conversationPkPrefix(userId: string): string {
  return `${userPartition(userId)}${CONVERSATION_INFIX}`;
}

/**
 * Any user's conversation partition read back (`USER#<userId>#CONV#<conversationId>`; user ids
 * never contain `#`), or null for another item kind's partition.
 */
export function parseConversationPk(pk: string): { userId: string; conversationId: string } | null {
  if (!pk.startsWith(USER_PREFIX)) return null;
  const infix = pk.indexOf(CONVERSATION_INFIX, USER_PREFIX.length);
  if (infix < 0) return null;
  const userId = pk.slice(USER_PREFIX.length, infix);
  const conversationId = pk.slice(infix + CONVERSATION_INFIX.length);
  if (userId === '' || userId.includes('#') || conversationId === '') return null;
  return { userId, conversationId };
}

/** The inverse of conversationPk for a pk known to belong to `userId`. */
export function conversationIdFromPk(userId: string, pk: string): string {
  const prefix = conversationPkPrefix(userId);
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
