// The files a synthetic export's conversations point at, laid out as real exports lay them out:
// 2023–25 (`user-<uid>/file_<hex>-<uuid>.png`, `<conversation id>/image|audio/…`,
// `file-<id>-<name>` at the root) or 2026 (`<file id>.dat` at the root, with
// conversation_asset_file_names.json and library_files.json). Every tenth file is left out on
// purpose: real exports lack some files, and the archive must say so.

import { assetPointers } from '@threadline/core/conversation/assetPointers';
import { assetFileId } from '@threadline/core/conversation/assetPlaceholder';
import type { ExportConversation } from './exportShapes';
import { deriveSeed, SeededRandom } from './seededRandom';
import { syntheticPdf, syntheticPng, syntheticWav } from './syntheticAssetBytes';

export type AssetLayout = '2023' | '2026';

export interface ReferencedFile {
  fileId: string;
  kind: 'image' | 'audio' | 'document';
  /** The attachment's name, when the message lists one. */
  name: string | null;
  conversationId: string;
}

export interface SyntheticAssetFile {
  path: string;
  /** Made when the ZIP writer reaches the file, so a large export is never held in memory. */
  content(): Buffer;
}

/** Files the conversation's messages point at (parts' asset pointers and attachments), once each. */
export function referencedFiles(conversation: ExportConversation): ReferencedFile[] {
  const byId = new Map<string, ReferencedFile>();
  for (const node of Object.values(conversation.mapping)) {
    const message = node.message;
    if (!message) continue;
    const parts = Array.isArray(message.content.parts) ? (message.content.parts as unknown[]) : [];
    for (const part of parts) {
      const contentType = String((part as { content_type?: unknown } | null)?.content_type ?? '');
      const kind = contentType.includes('audio') ? 'audio' : 'image';
      for (const pointer of assetPointers(part)) {
        const fileId = assetFileId(pointer);
        if (!byId.has(fileId)) byId.set(fileId, { fileId, kind, name: null, conversationId: conversation.conversation_id });
      }
    }
    const attachments = Array.isArray(message.metadata.attachments) ? (message.metadata.attachments as Array<Record<string, unknown>>) : [];
    for (const attachment of attachments) {
      if (typeof attachment.id !== 'string') continue;
      const name = typeof attachment.name === 'string' ? attachment.name : null;
      const known = byId.get(attachment.id);
      if (known) known.name = name;
      else byId.set(attachment.id, { fileId: attachment.id, kind: /\.(png|jpe?g|webp|gif)$/i.test(name ?? '') ? 'image' : 'document', name, conversationId: conversation.conversation_id });
    }
  }
  return [...byId.values()];
}

export interface AssetFileOptions {
  layout: AssetLayout;
  seed: number;
  /** Grow each voice file to about this many bytes (benchmarks); default a few KB. */
  audioBytes?: number;
}

/** True for the files deliberately left out (every tenth, in reference order). */
export function isLeftOut(ordinal: number): boolean {
  return ordinal % 10 === 9;
}

/** The archive entries for the referenced files (minus the ones left out), plus 2026's sidecar files. */
export function syntheticAssetFiles(files: readonly ReferencedFile[], options: AssetFileOptions): SyntheticAssetFile[] {
  const rng = new SeededRandom(deriveSeed(options.seed, 0xa55e7));
  const userFolder = `user-${rng.hex(12)}`;
  const out: SyntheticAssetFile[] = [];
  const nameMap: Record<string, string> = {};
  const library: unknown[] = [];
  files.forEach((file, ordinal) => {
    if (isLeftOut(ordinal)) return;
    // Each file's bytes from its own seed: the same whenever (and however lazily) they are made.
    const content = () => fileContent(file, new SeededRandom(deriveSeed(options.seed, ordinal + 1)), options);
    if (options.layout === '2026') {
      out.push({ path: `${file.fileId}.dat`, content });
      if (file.name) nameMap[`${file.fileId}.dat`] = file.name;
      if (file.kind === 'document') library.push({ file_id: file.fileId, file_name: file.name });
      return;
    }
    out.push({ path: legacyPath(file, rng, userFolder), content });
  });
  if (options.layout === '2026') {
    const names = Buffer.from(JSON.stringify(nameMap, null, 2));
    const uploads = Buffer.from(JSON.stringify(library, null, 2));
    out.push({ path: 'conversation_asset_file_names.json', content: () => names });
    out.push({ path: 'library_files.json', content: () => uploads });
  }
  return out;
}

function legacyPath(file: ReferencedFile, rng: SeededRandom, userFolder: string): string {
  if (file.kind === 'audio') return `${file.conversationId}/audio/${file.fileId}-${rng.uuid()}.wav`;
  if (file.kind === 'image') {
    return rng.chance(0.5) ? `${userFolder}/${file.fileId}-${rng.uuid()}.png` : `${file.conversationId}/image/${file.fileId}-${rng.uuid()}.png`;
  }
  return `${file.fileId}-${file.name ?? 'file'}`;
}

function fileContent(file: ReferencedFile, rng: SeededRandom, options: AssetFileOptions): Buffer {
  // Every recording its own tone, so no two files share bytes (real voice never does).
  if (file.kind === 'audio') return syntheticWav(options.audioBytes ?? 4000 + rng.int(0, 4000), 200 + rng.int(0, 2000) / 7);
  const name = file.name ?? '';
  if (file.kind === 'image' || /\.png$/i.test(name)) {
    return syntheticPng(rng.int(8, 32), rng.int(8, 32), [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)]);
  }
  if (/\.pdf$/i.test(name)) return syntheticPdf(`Synthetic ${name} ${rng.hex(8)}`);
  if (/\.csv$/i.test(name)) return Buffer.from(`region,quarter,amount\nnorth,Q1,${rng.int(100, 999)}\nsouth,Q1,${rng.int(100, 999)}\n`);
  return Buffer.from(`Synthetic document ${name} ${rng.hex(16)}\n`);
}
