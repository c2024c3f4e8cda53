// How a META holds its transcript and plain text inline: gzipped (`transcript_gz`, `raw_text_gz`),
// since they are the largest thing an import writes — in the bench's archive a META averaged
// 36.7 KB against 9.5 KB for a page of 16 messages, 1.1× the pages' write units — and Markdown
// shrinks ~3–4× (DynamoDB bills writes per started KB). A short text stays a plain string, as
// do texts of METAs written before this (both are read). Pure.

import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConversationMetaItem } from './conversationItems';

/** Below this many characters gzip's ~20-byte frame saves too little to be worth a binary attribute. */
const COMPRESS_FROM_CHARS = 512;

export type MetaTextField = 'transcript' | 'raw_text';
export const metaTextFields: readonly MetaTextField[] = ['transcript', 'raw_text'];

/** The item with its inline texts gzipped where that makes them smaller. */
export function withCompressedTexts(item: ConversationMetaItem): ConversationMetaItem {
  const compressed: ConversationMetaItem = { ...item };
  for (const field of metaTextFields) {
    const text = item[field];
    if (typeof text !== 'string' || text.length < COMPRESS_FROM_CHARS) continue;
    const gz = gzipSync(text);
    if (gz.length >= Buffer.byteLength(text)) continue;
    delete compressed[field];
    compressed[`${field}_gz`] = gz;
  }
  return compressed;
}

/** A META's inline text, whichever way it is stored (undefined when it is in S3 or absent). */
export function inlineMetaText(item: Pick<ConversationMetaItem, MetaTextField | `${MetaTextField}_gz`>, field: MetaTextField): string | undefined {
  const gz = item[`${field}_gz`];
  return gz ? gunzipSync(gz).toString('utf8') : item[field];
}
