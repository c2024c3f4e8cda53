// The S3 key layout of the one bucket, defined once.

const safeSegment = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True when a user or import id may appear as one key segment (no `/`, no `..`). */
export function isSafeKeySegment(value: string): boolean {
  return safeSegment.test(value) && !value.includes('..');
}

/** Every work file lives under here: the bucket's lifecycle rule expires it, the workflow's role may read it. */
const workArea = 'work/';
const uploadPrefix = 'imports/';
const chunkNumber = (chunkIndex: number) => String(chunkIndex).padStart(5, '0');

export const objectKeys = {
  /** Where the browser (or the CLI) uploads an export; its ObjectCreated event starts the import. */
  upload: (userId: string, importId: string, extension: 'zip' | 'json') =>
    `${uploadPrefix}${userId}/${importId}.${extension}`,
  uploadPrefix,
  workArea,
  /** Work files of one import, deleted when it finishes. */
  workPrefix: (importId: string) => `${workArea}${importId}/`,
  chunk: (importId: string, chunkIndex: number) => `${workArea}${importId}/chunks/${chunkNumber(chunkIndex)}.jsonl`,
  /** The files a chunk copies (and the ones its conversations point at that the export lacks). */
  chunkAssets: (importId: string, chunkIndex: number) => `${workArea}${importId}/chunks/${chunkNumber(chunkIndex)}.assets.json`,
  /** The Distributed Map's items: one line per chunk. */
  manifest: (importId: string) => `${workArea}${importId}/manifest.jsonl`,
  conversationIds: (importId: string) => `${workArea}${importId}/conversation-ids.jsonl`,
  /** Failed conversations, one file per chunk that had any, and Split's own; Finalize merges them. */
  failuresPrefix: (importId: string) => `${workArea}${importId}/failures/`,
  chunkFailures: (importId: string, chunkIndex: number) => `${workArea}${importId}/failures/${chunkNumber(chunkIndex)}.json`,
  splitFailures: (importId: string) => `${workArea}${importId}/failures/split.json`,
  /**
   * The Distributed Map's ResultWriter Prefix (no trailing slash): it writes
   * `<prefix>/<map run id>/manifest.json` and the result files beside it. Under the work area,
   * so the lifecycle rule expires what cleanup misses.
   */
  mapRunsPrefix: `${workArea}map-runs`,
  /** The full list of failed conversations of an import. */
  report: (userId: string, importId: string) => `reports/${userId}/${importId}.json`,
  /**
   * Offloaded large fields, content-addressed per conversation: retries write the same key, and
   * deleting an obsolete object can never break another conversation that shares the text.
   */
  offloadPrefix: (userId: string, conversationId: string) =>
    `archive/${userId}/${conversationSegment(conversationId)}/`,
  offload: (userId: string, conversationId: string, sha256: string) =>
    `archive/${userId}/${conversationSegment(conversationId)}/${sha256}`,
  /** The export's files (images, voice, attachments), stored once per user by content. */
  assetPrefix: (userId: string) => `archive/${userId}/assets/`,
  asset: (userId: string, sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
    return `archive/${userId}/assets/${sha256}`;
  },
} as const;

/**
 * A conversation id as one key segment. A conversation literally named `assets` must not share
 * the asset folder (deleting it would list every file): its `a` is percent-encoded, which
 * encodeURIComponent never does, so the mapping stays one-to-one.
 */
function conversationSegment(conversationId: string): string {
  const encoded = encodeURIComponent(conversationId);
  return encoded === 'assets' ? '%61ssets' : encoded;
}
