// One normalized conversation as a JSONL line, serialized once: the messages' JSON is encoded
// to UTF-8 a single time, straight into the output, and those very bytes are both written and
// hashed (contentHash), so `convert` never stringifies or encodes a message twice.
//
// The line is written piece by piece (one message, one transcript block at a time), never as one
// string: a string over V8's large-object threshold (128 KB) gets fresh memory pages of its own,
// and a page-fault profile of `convert` put ~45 % of its faults in copying and flattening such
// strings. Each message's text is escaped once and reused by the transcript and the plain text.

import { contentHashOfSerialized } from './contentHash';
import { listJson, stringJson, vocabularyJson } from './fieldJson';
import type { UnhashedConversation } from './normalizeConversation';
import type { NormalizedMessage } from './normalizedConversation';
import { RAW_TEXT_SEPARATOR, rawTextLabel } from './rawText';
import { TRANSCRIPT_SEPARATOR, transcriptBlock } from './transcript';

/** Characters of a long string escaped at a time: its JSON stays well under the large-object threshold. */
const STRING_SLICE_CHARS = 16 * 1024;
/**
 * Pieces of a message up to this many characters go out joined, in one append: each Buffer#write
 * costs ~75 ns however short the string, and a message is ~10 pieces. Longer ones keep their own.
 */
const JOINED_PIECE_CHARS = 4 * 1024;

/** JSON.stringify(text) without its quotes. */
function escaped(text: string): string {
  const json = JSON.stringify(text);
  return json.length === text.length + 2 ? text : json.slice(1, -1);
}

/** Where lines are appended: bytes [0, length) of `bytes` are the lines so far. */
export class LineBuffer {
  bytes: Buffer;
  length = 0;

  /** A capacity, or a spent buffer to write over (its old bytes are never read). */
  constructor(capacity: number | ArrayBuffer = 1024 * 1024) {
    // Not Buffer.allocUnsafe: small ones come from a shared pool, and this one may be transferred.
    this.bytes = Buffer.from(typeof capacity === 'number' ? new ArrayBuffer(capacity) : capacity);
  }

  /** Appends `text` as UTF-8; returns where it starts. */
  append(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: room for that, and no pass to count exactly.
    if (this.length + text.length * 3 > this.bytes.length) this.grow(text.length * 3);
    const start = this.length;
    this.length += this.bytes.write(text, start);
    return start;
  }

  /** Appends JSON.stringify(text) without its quotes, escaped a slice at a time (a surrogate pair is never split). */
  appendEscaped(text: string): void {
    if (text.length <= STRING_SLICE_CHARS) {
      this.append(escaped(text));
      return;
    }
    for (let at = 0; at < text.length; ) {
      let end = Math.min(at + STRING_SLICE_CHARS, text.length);
      // A high surrogate closing a slice belongs with the low one opening the next.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end -= 1;
      const json = JSON.stringify(text.slice(at, end));
      this.append(json.slice(1, -1));
      at = end;
    }
  }

  private grow(bytes: number): void {
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.bytes.length * 2, this.length + bytes)));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Appends the messages' JSON: JSON.stringify(messages), byte for byte (NormalizedMessage's keys in
 * the order normalizeMessage writes them; the byte-for-byte test holds the two together), written
 * straight from the fields: no object copy, no cutting a stringified message apart. Returns the
 * messages' text JSON-escaped (no quotes), by position: for the transcript and plain text.
 */
function appendMessages(messages: readonly NormalizedMessage[], out: LineBuffer): string[] {
  const escapedTexts: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const text = JSON.stringify(m.text);
    const head = `${i > 0 ? ',' : '['}{"id":${stringJson(m.id)},"position":${m.position},"role":${vocabularyJson(m.role)},"author_name":${vocabularyJson(m.author_name)},"content_type":${vocabularyJson(m.content_type)},"text":`;
    const tail = `,"create_time":${stringJson(m.create_time)},"model":${vocabularyJson(m.model)},"recipient":${vocabularyJson(m.recipient)},"attachments":${listJson(m.attachments)},"asset_pointers":${listJson(m.asset_pointers)}}`;
    if (text.length <= JOINED_PIECE_CHARS) out.append(head + text + tail);
    else {
      out.append(head);
      out.append(text);
      out.append(tail);
    }
    escapedTexts.push(text.slice(1, -1));
  }
  out.append(messages.length > 0 ? ']' : '[]');
  return escapedTexts;
}

/**
 * Appends the conversation's line (ending in `\n`) to `out`; returns its length in bytes.
 * Parsed, the line equals normalizeConversation's result for the same conversation; its bytes
 * are those of JSON.stringify of that result with the keys in the order `convert` has always
 * written (content_hash before warnings).
 */
export function appendConversationJsonLine(conversation: UnhashedConversation, out: LineBuffer): number {
  const { conversation_id, title, create_time, update_time, model, is_archived, messages } = conversation;
  const lineStart = out.length;
  const head = JSON.stringify({ conversation_id, title, create_time, update_time, model, is_archived });
  out.append(head.slice(0, -1));
  out.append(',"messages":');
  const messagesStart = out.length;
  const escapedTexts = appendMessages(messages, out);
  const content_hash = contentHashOfSerialized(conversation, out.bytes.subarray(messagesStart, out.length));
  out.append(`,"date":${JSON.stringify(conversation.date)},"time":${JSON.stringify(conversation.time)},"message_count":${conversation.message_count},"transcript":"`);
  // JSON.stringify(renderTranscript(…)) without rendering it: escaping is per character, and
  // no surrogate pair spans two pieces (ASCII stands between them).
  const separator = JSON.stringify(TRANSCRIPT_SEPARATOR).slice(1, -1);
  for (let i = 0; i < messages.length; i++) {
    const block = transcriptBlock(messages[i], conversation.code_languages.get(messages[i].id));
    const ownText = block.body === messages[i].text;
    if (block.before.length + block.body.length + block.after.length <= JOINED_PIECE_CHARS) {
      out.append(`${i > 0 ? separator : ''}${escaped(block.before)}${ownText ? escapedTexts[i] : escaped(block.body)}${escaped(block.after)}`);
      continue;
    }
    if (i > 0) out.append(separator);
    out.appendEscaped(block.before);
    if (ownText) out.append(escapedTexts[i]);
    else out.appendEscaped(block.body);
    out.appendEscaped(block.after);
  }
  out.append('","raw_text":"');
  const rawSeparator = JSON.stringify(RAW_TEXT_SEPARATOR).slice(1, -1);
  for (let i = 0; i < messages.length; i++) {
    const label = rawTextLabel(messages[i]);
    if (label.length + escapedTexts[i].length <= JOINED_PIECE_CHARS) {
      out.append(`${i > 0 ? rawSeparator : ''}${escaped(label)}${escapedTexts[i]}`);
      continue;
    }
    if (i > 0) out.append(rawSeparator);
    out.appendEscaped(label);
    out.append(escapedTexts[i]);
  }
  out.append(`","content_hash":${JSON.stringify(content_hash)},"warnings":${JSON.stringify(conversation.warnings)}}\n`);
  return out.length - lineStart;
}
