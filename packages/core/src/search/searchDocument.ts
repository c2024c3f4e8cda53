// The DOC item of one indexed conversation: its content_hash (what version the postings are of)
// and its terms with how many posting parts each has. Terms are stored gzipped: a long
// conversation has tens of thousands of distinct terms, too many for a plain 400 KB item.

import { gunzipSync, gzipSync } from 'node:zlib';

/** term → number of posting parts */
export type IndexedTerms = Map<string, number>;

export interface SearchDocItem {
  pk: string;
  sk: string;
  conversation_id: string;
  /** The content_hash the postings were built from; absent while a first write is under way. */
  content_hash?: string;
  terms?: Uint8Array;
  /** Terms an unfinished write may have put: removed too if it never finishes. */
  pending?: Uint8Array;
}

export function packTerms(terms: IndexedTerms): Uint8Array {
  return gzipSync(JSON.stringify([...terms]));
}

export function unpackTerms(packed: Uint8Array | undefined): IndexedTerms {
  if (!packed || packed.length === 0) return new Map();
  return new Map(JSON.parse(gunzipSync(packed).toString('utf8')) as [string, number][]);
}

/** Every posting the DOC says may exist: the committed terms and any pending ones (most parts of each). */
export function recordedTerms(doc: Pick<SearchDocItem, 'terms' | 'pending'> | undefined): IndexedTerms {
  const all = unpackTerms(doc?.terms);
  for (const [term, parts] of unpackTerms(doc?.pending)) all.set(term, Math.max(parts, all.get(term) ?? 0));
  return all;
}
