// Stable hashes of what we store, so the store can tell "unchanged" from "edited" across imports.
// The serialization is ours, not the input's: a fixed field order written as JSON arrays, so
// the raw export's key order (which varies between exports) can never change a hash.
// Bump HASH_FORMAT whenever the fields or their normalization change, so every stored
// conversation is seen as changed once and rewritten.

import { createHash } from 'node:crypto';
import type { Attachment, NormalizedConversation, NormalizedMessage } from './normalizedConversation';

const HASH_FORMAT = 'threadline-conversation/1';

export type HashedConversation = Pick<
  NormalizedConversation,
  'conversation_id' | 'title' | 'create_time' | 'update_time' | 'model' | 'is_archived' | 'messages'
>;

function attachmentFields(attachment: Attachment): unknown[] {
  return [attachment.id, attachment.name, attachment.mime_type, attachment.size];
}

function messageFields(message: NormalizedMessage): unknown[] {
  return [
    message.id,
    message.position,
    message.role,
    message.author_name,
    message.content_type,
    message.text,
    message.create_time,
    message.model,
    message.recipient,
    message.attachments.map(attachmentFields),
    message.asset_pointers,
  ];
}

/** sha256 (hex) of one normalized message, every field included. */
export function messageHash(message: NormalizedMessage): string {
  return createHash('sha256')
    .update(JSON.stringify([HASH_FORMAT, ...messageFields(message)]))
    .digest('hex');
}

/** sha256 (hex) of everything stored about a conversation: id, title, times, model, archive flag, messages. */
export function contentHash(conversation: HashedConversation): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      HASH_FORMAT,
      conversation.conversation_id,
      conversation.title,
      conversation.create_time,
      conversation.update_time,
      conversation.model,
      conversation.is_archived,
    ]),
  );
  // Fed in ~64 KB batches: an 18 MB conversation never becomes one giant string, and we avoid
  // the per-call overhead of hashing thousands of tiny messages one by one.
  let batch = '';
  for (const message of conversation.messages) {
    batch += '\n' + JSON.stringify(messageFields(message));
    if (batch.length >= 65_536) {
      hash.update(batch);
      batch = '';
    }
  }
  return hash.update(batch).digest('hex');
}
