// Key builders for the archive's file items in the Conversations table (layout in
// tableSchemas.ts). They live in partitions of their own, apart from a conversation's META and
// messages, so the message layout is untouched:
//   USER#<u>#FILE#<fileId>      FILE               the file: sha256, name, mime type, bytes
//   USER#<u>#FILE#<fileId>      REF#<convId>       a conversation points at the file
//   USER#<u>#CONVFILES#<convId> FILE#<fileId>      the same reference, from the conversation's side
//   USER#<u>#ASSET#<sha256>     FILE#<fileId>      a file whose bytes are this stored object
// A stored object is deleted when no file holds it; a file when no conversation points at it.

import { assertConversationId, userPartition, type ItemKey } from './conversationKeys';
import { InvalidKeyError } from './conversationKeys';

export const FILE_SK = 'FILE';
export const FILE_REF_SK_PREFIX = 'REF#';
export const HOLDER_SK_PREFIX = 'FILE#';

const FILE_ID = /^file[-_][A-Za-z0-9]{1,200}$/;

export function isFileId(value: string): boolean {
  return FILE_ID.test(value);
}

function assertFileId(fileId: string): void {
  if (!isFileId(fileId)) throw new InvalidKeyError(`invalid file id: ${JSON.stringify(fileId)}`);
}

export function filePk(userId: string, fileId: string): string {
  assertFileId(fileId);
  return `${userPartition(userId)}#FILE#${fileId}`;
}

export function fileKey(userId: string, fileId: string): ItemKey {
  return { pk: filePk(userId, fileId), sk: FILE_SK };
}

export function fileRefKey(userId: string, fileId: string, conversationId: string): ItemKey {
  assertConversationId(conversationId);
  return { pk: filePk(userId, fileId), sk: `${FILE_REF_SK_PREFIX}${conversationId}` };
}

export function conversationFilesPk(userId: string, conversationId: string): string {
  assertConversationId(conversationId);
  return `${userPartition(userId)}#CONVFILES#${conversationId}`;
}

export function conversationFileKey(userId: string, conversationId: string, fileId: string): ItemKey {
  assertFileId(fileId);
  return { pk: conversationFilesPk(userId, conversationId), sk: `${HOLDER_SK_PREFIX}${fileId}` };
}

export function assetHolderPk(userId: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new InvalidKeyError(`invalid sha256: ${JSON.stringify(sha256)}`);
  return `${userPartition(userId)}#ASSET#${sha256}`;
}

export function assetHolderKey(userId: string, sha256: string, fileId: string): ItemKey {
  assertFileId(fileId);
  return { pk: assetHolderPk(userId, sha256), sk: `${HOLDER_SK_PREFIX}${fileId}` };
}
