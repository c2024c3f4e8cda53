import { ExportReadError } from './exportReadError';

/** `conversations.json` or a shard `conversations-NNN.json` (any number of digits). */
const CONVERSATION_FILE = /^conversations(?:-(\d+))?\.json$/;

export const MANIFEST_FILE = 'export_manifest.json';

export function isConversationFileName(baseName: string): boolean {
  return CONVERSATION_FILE.test(baseName);
}

/** Sort key: the unsharded file first, then shards by number (so -2 < -10), then by name. */
export function compareConversationFileNames(a: string, b: string): number {
  const shardA = shardNumber(a);
  const shardB = shardNumber(b);
  if (shardA !== shardB) return shardA - shardB;
  return a < b ? -1 : a > b ? 1 : 0;
}

function shardNumber(baseName: string): number {
  const digits = CONVERSATION_FILE.exec(baseName)?.[1];
  return digits === undefined ? -1 : Number(digits);
}

export interface ConversationFileSelection {
  /** '' for the archive root, else the one top-level folder (with its trailing `/`). */
  folder: string;
  /** Full entry names, in reading order. */
  files: string[];
}

/**
 * Picks the conversation files among an archive's entry names: at the root, or inside one
 * top-level folder (people re-zip an extracted export). Anything deeper is not an export's
 * conversations file (e.g. `<uuid>/…` asset folders). `__MACOSX/` copies are ignored.
 */
export function selectConversationFiles(entryNames: readonly string[], archiveName: string): ConversationFileSelection {
  const byFolder = new Map<string, string[]>();
  for (const name of entryNames) {
    const parts = name.split('/');
    if (parts.length > 2 || parts[0] === '__MACOSX') continue;
    const baseName = parts[parts.length - 1];
    if (!isConversationFileName(baseName)) continue;
    const folder = parts.length === 2 ? `${parts[0]}/` : '';
    const list = byFolder.get(folder) ?? [];
    list.push(name);
    byFolder.set(folder, list);
  }
  const folders = [...byFolder.keys()];
  if (folders.length === 0) {
    throw new ExportReadError(
      'no-conversations',
      `${archiveName} has no conversations.json or conversations-NNN.json (found: ${summarizeNames(entryNames)})`,
    );
  }
  // Root wins: an export zipped together with a copy of itself in a folder is still one export.
  const folder = byFolder.has('') ? '' : folders.length === 1 ? folders[0] : undefined;
  if (folder === undefined) {
    throw new ExportReadError(
      'ambiguous-export',
      `${archiveName} holds conversation files in several folders (${folders.join(', ')}): upload one export at a time`,
    );
  }
  const files = byFolder.get(folder)!;
  files.sort((a, b) => compareConversationFileNames(baseNameOf(a), baseNameOf(b)));
  return { folder, files };
}

export function baseNameOf(entryName: string): string {
  return entryName.slice(entryName.lastIndexOf('/') + 1);
}

/** A bounded list of names for an error message. */
export function summarizeNames(names: readonly string[], max = 10): string {
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
