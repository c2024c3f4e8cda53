// One normalized conversation as a JSONL line, serialized once: the messages' JSON is encoded
// to UTF-8 a single time and those very bytes are both written and hashed (contentHash), so
// `convert` never stringifies a message twice.

import { contentHashOfSerialized } from './contentHash';
import type { UnhashedConversation } from './normalizeConversation';

/**
 * The line's UTF-8 bytes in three pieces (before the messages, the messages, after them),
 * ending in `\n`; parsed, it equals normalizeConversation's result for the same conversation.
 * Keys keep the order `convert` has always written.
 */
export function conversationJsonLine(conversation: UnhashedConversation): Buffer[] {
  const { conversation_id, title, create_time, update_time, model, is_archived, messages } = conversation;
  const messagesBytes = Buffer.from(JSON.stringify(messages));
  const head = JSON.stringify({ conversation_id, title, create_time, update_time, model, is_archived });
  const tail = JSON.stringify({
    date: conversation.date,
    time: conversation.time,
    message_count: conversation.message_count,
    transcript: conversation.transcript,
    raw_text: conversation.raw_text,
    content_hash: contentHashOfSerialized(conversation, messagesBytes),
    warnings: conversation.warnings,
  });
  return [Buffer.from(`${head.slice(0, -1)},"messages":`), messagesBytes, Buffer.from(`,${tail.slice(1)}\n`)];
}
