// How a META holds its transcript and plain text inline: both in one compressed attribute
// (`texts_br`, compressedJson.ts), since they are the largest thing a META holds and the plain
// text repeats the transcript's words, which a window spanning both nearly removes. Short texts
// stay plain strings. Also read: METAs written before — plain strings, or each text gzipped
// alone (`transcript_gz`, `raw_text_gz`, written until 2026-12-02). Pure.

import { gunzipSync } from 'node:zlib';
import { compressJson, decompressJson } from './compressedJson';
import type { ConversationMetaItem } from './conversationItems';

/** Below this many characters in all a binary attribute saves too little to be worth it. */
const COMPRESS_FROM_CHARS = 512;

export type MetaTextField = 'transcript' | 'raw_text';
export const metaTextFields: readonly MetaTextField[] = ['transcript', 'raw_text'];

type InlineTexts = Partial<Record<MetaTextField, string>>;
type StoredTexts = Pick<ConversationMetaItem, MetaTextField | `${MetaTextField}_gz` | 'texts_br'>;

/** The item with its inline texts compressed together, where that makes them smaller. */
export function withCompressedTexts(item: ConversationMetaItem): ConversationMetaItem {
  const texts: InlineTexts = {};
  let chars = 0;
  for (const field of metaTextFields) {
    const text = item[field];
    if (typeof text !== 'string') continue;
    texts[field] = text;
    chars += text.length;
  }
  if (chars < COMPRESS_FROM_CHARS) return item;
  const compressed: ConversationMetaItem = { ...item, texts_br: compressJson(texts) };
  for (const field of metaTextFields) delete compressed[field];
  return compressed;
}

/** A META's inline texts, whichever way they are stored (a text in S3 or absent is undefined). */
export function inlineMetaTexts(item: StoredTexts): InlineTexts {
  const texts: InlineTexts = item.texts_br ? decompressJson<InlineTexts>(item.texts_br) : {};
  for (const field of metaTextFields) {
    const gz = item[`${field}_gz`];
    texts[field] ??= gz ? gunzipSync(gz).toString('utf8') : item[field];
  }
  return texts;
}
