// The work files Split writes and ProcessChunk reads, under work/<importId>/ (keys in
// archive/objectKeys.ts):
//   chunks/NNNNN.jsonl    one `ChunkLine` per line
//   chunks/NNNNN.assets.json the files the chunk copies (`ChunkAssetPlan`; only when it has any)
//   manifest.jsonl        one `ChunkManifestLine` per chunk: the Distributed Map's items
//   conversation-ids.jsonl one JSON string per line: every id the export holds (mirror mode)
//   failures/NNNNN.json   a chunk's failed conversations (only when it has any)
//   failures/split.json   what Split could not read (only after a read error mid-export)

import type { JobFailure } from '../job/importJob';

/** One conversation of a chunk: its ordinal in the export and the raw conversation. */
export interface ChunkLine {
  index: number;
  conversation: unknown;
}

export interface ChunkManifestLine {
  chunk: number;
  key: string;
  /** Lines in the chunk file (skipped ones included). */
  conversations: number;
  bytes: number;
  /** Ordinals of lines superseded by a later copy of the same conversation: not imported. */
  skip: number[];
  /** Set when the chunk has an asset plan: files it copies and file ids the export lacks. */
  assets?: { files: number; missing: number };
}

export type ChunkFailures = JobFailure[];
