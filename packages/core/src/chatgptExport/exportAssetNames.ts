// Which export file is which file id. Real exports name files in a few ways (DESIGN §2):
//   2023–25: `file-<id>-<original name>` at the root, `dalle-generations/file-<id>-<uuid>.webp`,
//            `user-<uid>/file_<hex>-<uuid>.png`, `<conversation id>/audio/file_<hex>-<uuid>.wav`,
//            `<conversation id>/image/…`;
//   2026:    `<file id>.dat` at the root (the original name is in conversation_asset_file_names.json).
// Pointers name files as `file-service://file-<id>` or `sediment://file_<hex>`; the file id is
// what follows the scheme.

export const ASSET_NAME_MAP_FILE = 'conversation_asset_file_names.json';

/** `file-` + letters/digits (the service ids) or `file_` + hex (sediment ids). */
const FILE_ID = /^(file-[A-Za-z0-9]+|file_[0-9A-Fa-f]+)(?:(\.dat)|-(.+)|\.[A-Za-z0-9]{1,8})?$/;

export interface AssetEntryName {
  fileId: string;
  /** The name the file had, when the entry name carries one (`file-<id>-<name>`). */
  originalName: string | null;
  /** A 2026 `<file id>.dat`: the name and type are not in the entry name. */
  isDat: boolean;
}

/** The file id an entry's base name belongs to, or null when it is not an asset file. */
export function assetEntryName(baseName: string): AssetEntryName | null {
  const match = FILE_ID.exec(baseName);
  if (!match) return null;
  const [, fileId, dat, rest] = match;
  return { fileId: fileId!, originalName: dat ? null : (rest ?? (baseName === fileId ? null : baseName)), isDat: Boolean(dat) };
}

/**
 * `conversation_asset_file_names.json`: `{"<file id>.dat": "<original name>"}`. Anything else in
 * it is ignored (it is advisory: without it a file keeps its `.dat` name).
 */
export function readAssetNameMap(parsed: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return names;
  for (const [datName, original] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof original === 'string' && original.trim() !== '') names.set(datName, original);
  }
  return names;
}
