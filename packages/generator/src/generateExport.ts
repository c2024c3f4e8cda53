import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { sidecarFiles } from './exportSidecarFiles';
import { referencedFiles, syntheticAssetFiles, type AssetLayout, type ReferencedFile } from './syntheticAssetFiles';
import { deriveSeed, SeededRandom } from './seededRandom';
import { generateConversation } from './syntheticConversation';

export interface GenerateExportOptions {
  /** Number of conversations; a minimum when `sizeMb` is given. */
  conversations: number;
  /** Shard into conversations-000.json … with export_manifest.json (2026 layout); 0 or absent: one conversations.json. */
  shards?: number;
  seed?: number;
  /** Grow until the conversation JSON reaches about this many MB (1 MB = 1e6 bytes). */
  sizeMb?: number;
  /** Path of the ZIP to write. */
  out: string;
  /** Deflate level of the conversation files (0 stores them; default 1: still deflate, like real exports, but fast enough to keep up with generation). */
  compressionLevel?: number;
  /**
   * Write the files the conversations point at (real PNG, WAV, PDF bytes; every tenth left out,
   * as real exports lack some): 2026 layout when sharded, else 2023–25, unless `assetLayout` says.
   */
  assets?: boolean;
  assetLayout?: AssetLayout;
  /** Size of each voice file with `assets` (benchmarks: a file-heavy export). */
  audioBytes?: number;
  /** Called as conversation JSON is produced, with the cumulative byte count. */
  onProgress?(bytesWritten: number): void;
}

export interface ConversationFileSummary {
  path: string;
  size_bytes: number;
  conversations: number;
}

export interface GeneratedExportSummary {
  /** The ZIP written. */
  file: string;
  conversations: number;
  /** Number of conversation JSON files (1 when not sharded). */
  shards: number;
  sharded: boolean;
  /** Total bytes of conversation JSON (uncompressed). */
  conversationBytes: number;
  /** Size of the ZIP. */
  archiveBytes: number;
  conversationFiles: ConversationFileSummary[];
  /** With `assets`: files the conversations point at, and how many of them the ZIP holds. */
  assetFiles: { referenced: number; written: number; bytes: number };
}

// Fixed, and built from local-time fields with DOS timestamps only, so the bytes
// do not depend on the clock or on the machine's time zone.
const ENTRY_MTIME = new Date(2025, 0, 1, 0, 0, 0);
const ENTRY_OPTIONS = { mtime: ENTRY_MTIME, forceDosTimestamp: true } as const;

export function shardFileName(shard: number): string {
  return `conversations-${String(shard).padStart(3, '0')}.json`;
}

/**
 * Writes a deterministic synthetic ChatGPT export as a ZIP, streaming: each
 * conversation is generated, serialized and handed to the zip writer one at a
 * time, so memory stays flat whatever the size.
 */
export async function generateExport(options: GenerateExportOptions): Promise<GeneratedExportSummary> {
  const seed = options.seed ?? 1;
  const sharded = (options.shards ?? 0) > 0;
  const fileCount = sharded ? options.shards! : 1;
  const minimum = Math.max(0, Math.floor(options.conversations));
  const targetBytesPerFile = options.sizeMb ? (options.sizeMb * 1e6) / fileCount : 0;
  const compressionLevel = options.compressionLevel ?? 1;

  const conversationFiles: ConversationFileSummary[] = [];
  let nextIndex = 0;
  let totalBytes = 0;
  const referenced: ReferencedFile[] = [];
  let shardsWritten = 0;
  let allShardsWritten!: () => void;
  const shardsDone = new Promise<void>((resolve) => (allShardsWritten = resolve));

  // One file's JSON array, produced lazily as yazl pulls on the stream.
  function* conversationArray(file: ConversationFileSummary, quota: number): Generator<Buffer> {
    const open = Buffer.from('[');
    file.size_bytes += open.length;
    yield open;
    while (file.conversations < quota || file.size_bytes < targetBytesPerFile) {
      const index = nextIndex++;
      const conversation = generateConversation(new SeededRandom(deriveSeed(seed, index)), index);
      if (options.assets) referenced.push(...referencedFiles(conversation));
      const chunk = Buffer.from((file.conversations === 0 ? '' : ', ') + JSON.stringify(conversation));
      file.conversations++;
      file.size_bytes += chunk.length;
      totalBytes += chunk.length;
      options.onProgress?.(totalBytes);
      yield chunk;
    }
    const close = Buffer.from(']');
    file.size_bytes += close.length;
    yield close;
    if (++shardsWritten === fileCount) allShardsWritten();
  }

  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(options.out));
  const sidecars = sidecarFiles(new SeededRandom(deriveSeed(seed, 0xffffffff)));
  const [userJson, feedback, ...rest] = sidecars;
  zip.addBuffer(userJson.content, userJson.path, ENTRY_OPTIONS);
  zip.addBuffer(feedback.content, feedback.path, ENTRY_OPTIONS);

  for (let shard = 0; shard < fileCount; shard++) {
    const quota = Math.floor(minimum / fileCount) + (shard < minimum % fileCount ? 1 : 0);
    const file: ConversationFileSummary = { path: sharded ? shardFileName(shard) : 'conversations.json', size_bytes: 0, conversations: 0 };
    conversationFiles.push(file);
    // Lazy: the generator must not start before the previous file has finished,
    // because conversation indexes run on across files.
    zip.addReadStreamLazy(file.path, { ...ENTRY_OPTIONS, compressionLevel }, (callback) =>
      callback(null, Readable.from(conversationArray(file, quota), { objectMode: false })),
    );
  }
  for (const sidecar of rest) zip.addBuffer(sidecar.content, sidecar.path, ENTRY_OPTIONS);

  // The files are known once every conversation is generated; yazl takes entries until end().
  const assetFiles = { referenced: 0, written: 0, bytes: 0 };
  const inventory: { path: string; size_bytes: number }[] = [];
  if (options.assets) {
    await Promise.race([shardsDone, written]);
    const layout = options.assetLayout ?? (sharded ? '2026' : '2023');
    const files = syntheticAssetFiles(referenced, { layout, seed, audioBytes: options.audioBytes });
    assetFiles.referenced = referenced.length;
    for (const file of files) {
      // Media is stored, as real exports store it (it does not deflate); the JSON sidecars deflate.
      const isMedia = !file.path.endsWith('.json');
      const listed = { path: file.path, size_bytes: 0 };
      inventory.push(listed);
      if (isMedia) assetFiles.written++;
      zip.addReadStreamLazy(file.path, { ...ENTRY_OPTIONS, compress: !isMedia }, (callback) => {
        const content = file.content();
        listed.size_bytes = content.length;
        if (isMedia) assetFiles.bytes += content.length;
        callback(null, Readable.from([content], { objectMode: false }));
      });
    }
  }

  if (sharded) {
    // Last, because it lists the shard sizes, known only once they are written.
    zip.addReadStreamLazy('export_manifest.json', ENTRY_OPTIONS, (callback) => {
      const files = [
        ...sidecars.map((sidecar) => ({ path: sidecar.path, size_bytes: sidecar.content.length })),
        ...conversationFiles.map((file) => ({ path: file.path, size_bytes: file.size_bytes })),
        ...inventory,
      ].sort((a, b) => (a.path < b.path ? -1 : 1));
      // The real 2026 shape (DESIGN §2): `export_files` is the inventory; `logical_files` keys
      // are logical names, so `conversations.json` names the group of shards, not a file.
      const logical_files = {
        'conversations.json': { files: conversationFiles.map((file) => file.path), shard_count: conversationFiles.length, sharded: true },
        ...Object.fromEntries(sidecars.map((sidecar) => [sidecar.path, { files: [sidecar.path], sharded: false }])),
      };
      const manifest = { version: 1, manifest_file: 'export_manifest.json', export_files: files, logical_files };
      callback(null, Readable.from([Buffer.from(JSON.stringify(manifest, null, 2))], { objectMode: false }));
    });
  }
  // Zip64 only matters past 4 GB; turn it on when the target is near that.
  zip.end({ forceZip64Format: (options.sizeMb ?? 0) > 3_500, comment: '' });
  await written;

  const { size: archiveBytes } = await stat(options.out);
  return {
    file: options.out,
    conversations: nextIndex,
    shards: fileCount,
    sharded,
    conversationBytes: conversationFiles.reduce((sum, file) => sum + file.size_bytes, 0),
    archiveBytes,
    conversationFiles,
    assetFiles,
  };
}
