// One normalized conversation as a JSONL line, serialized once: the messages' JSON is encoded
// to UTF-8 a single time, straight into the output, and those very bytes are both written and
// hashed (contentHash), so `convert` never stringifies or encodes a message twice.

import { contentHashOfSerialized } from './contentHash';
import type { UnhashedConversation } from './normalizeConversation';

/** Where lines are appended: bytes [0, length) of `bytes` are the lines so far. */
export class LineBuffer {
  bytes: Buffer;
  length = 0;

  constructor(capacity = 1024 * 1024) {
    // Not Buffer.allocUnsafe: small ones come from a shared pool, and this one may be transferred.
    this.bytes = Buffer.from(new ArrayBuffer(capacity));
  }

  /** Appends `text` as UTF-8; returns where it starts. */
  append(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; only when that might not fit is the exact size worth a pass.
    if (this.length + text.length * 3 > this.bytes.length) this.reserve(Buffer.byteLength(text));
    const start = this.length;
    this.length += this.bytes.write(text, start);
    return start;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.bytes.length * 2, this.length + bytes)));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/**
 * Appends the conversation's line (ending in `\n`) to `out`; returns its length in bytes.
 * Parsed, the line equals normalizeConversation's result for the same conversation. Keys keep
 * the order `convert` has always written.
 */
export function appendConversationJsonLine(conversation: UnhashedConversation, out: LineBuffer): number {
  const { conversation_id, title, create_time, update_time, model, is_archived, messages } = conversation;
  const lineStart = out.length;
  const head = JSON.stringify({ conversation_id, title, create_time, update_time, model, is_archived });
  out.append(`${head.slice(0, -1)},"messages":`);
  const messagesStart = out.append(JSON.stringify(messages));
  const content_hash = contentHashOfSerialized(conversation, out.bytes.subarray(messagesStart, out.length));
  const tail = JSON.stringify({
    date: conversation.date,
    time: conversation.time,
    message_count: conversation.message_count,
    transcript: conversation.transcript,
    raw_text: conversation.raw_text,
    content_hash,
    warnings: conversation.warnings,
  });
  out.append(`,${tail.slice(1)}\n`);
  return out.length - lineStart;
}
