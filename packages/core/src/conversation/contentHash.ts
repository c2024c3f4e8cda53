// Stable hashes of what we store, so the store can tell "unchanged" from "edited" across imports.
// The serialization is ours, not the input's: the normalized objects, whose keys our normalizer
// writes in a fixed order, so the raw export's key order (which varies between exports) can
// never change a hash.
// Bump a format whenever the fields or their normalization change, so every stored
// conversation is seen as changed once and rewritten.
//
// sha256, not a faster non-cryptographic hash: measured here (SHA-NI), sha256 of bytes runs at
// ~1 GB/s, so over the bytes `convert` encodes anyway it costs ~1 ms per MB; xxh64 (xxhash-wasm)
// is 7× that on bytes and 2× on strings (UTF-8 encoding dominates), a saving of ~2 % of
// `convert`, against an async WebAssembly start-up in every synchronous caller and Lambda.

import { createHash } from 'node:crypto';
import type { Attachment, NormalizedConversation, NormalizedMessage } from './normalizedConversation';

/** Format of the per-message hash (stored on every message item: changing it rewrites every message once). */
const HASH_FORMAT = 'threadline-conversation/1';
/** Format 2 hashes the messages' JSON (format 1 hashed field arrays): one serialization serves the hash and the output. */
const CONTENT_HASH_FORMAT = 'threadline-conversation/2';

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

/**
 * sha256 (hex) of everything stored about a conversation: id, title, times, model, archive flag,
 * messages. The messages enter as JSON.stringify(messages) — the very bytes `convert` writes —
 * so a caller that serializes them anyway hashes what it has (see contentHashOfSerialized).
 */
export function contentHash(conversation: HashedConversation): string {
  return contentHashOfSerialized(conversation, JSON.stringify(conversation.messages));
}

/**
 * contentHash for a caller that already holds the messages serialized: `messagesJson` must be
 * JSON.stringify(conversation.messages), as a string or its UTF-8 bytes (both hash the same).
 */
export function contentHashOfSerialized(conversation: Omit<HashedConversation, 'messages'>, messagesJson: string | Uint8Array): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        CONTENT_HASH_FORMAT,
        conversation.conversation_id,
        conversation.title,
        conversation.create_time,
        conversation.update_time,
        conversation.model,
        conversation.is_archived,
      ]) + '\n',
    )
    .update(messagesJson)
    .digest('hex');
}
