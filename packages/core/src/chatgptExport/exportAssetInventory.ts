// The files of an export, by file id, from the central directory alone (nothing is inflated
// here): where each sits in the archive, so the copying can read exactly its byte range later.
// Pure: entries and the name map in, inventory and problems out.

import { baseNameOf, summarizeNames } from './conversationFiles';
import { MIN_BYTES_FOR_RATIO_CHECK } from './exportReadOptions';
import { assetEntryName } from './exportAssetNames';
import type { ZipEntry } from './zipArchive';

export interface ExportAssetFile {
  fileId: string;
  /** The original file name (from the entry name or the 2026 name map), else the entry's base name. */
  name: string;
  /** The ZIP entry: central-directory facts, including the local header offset. */
  entry: ZipEntry;
}

export interface AssetInventory {
  files: Map<string, ExportAssetFile>;
  /** One sentence each, in the user's terms: files we will not copy, and why. */
  problems: string[];
}

export interface AssetLimits {
  /** One file larger than this is not copied. */
  maxAssetBytes: number;
  maxCompressionRatio: number;
}

export const emptyAssetInventory = (): AssetInventory => ({ files: new Map(), problems: [] });

export function buildAssetInventory(
  entries: readonly ZipEntry[],
  nameMap: ReadonlyMap<string, string>,
  limits: AssetLimits,
  archiveName: string,
): AssetInventory {
  const files = new Map<string, ExportAssetFile>();
  const problems: string[] = [];
  const datNames = new Set<string>();
  for (const entry of entries) {
    if (entry.name.startsWith('__MACOSX/')) continue;
    const base = baseNameOf(entry.name);
    const parsed = assetEntryName(base);
    if (!parsed) continue;
    if (parsed.isDat) datNames.add(base);
    const existing = files.get(parsed.fileId);
    if (existing) {
      problems.push(
        `${archiveName}: two files claim file id ${parsed.fileId} (${existing.entry.name} and ${entry.name}); kept the first, skipped ${entry.name}`,
      );
      continue;
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > limits.maxAssetBytes) {
      problems.push(`${archiveName}: ${entry.name} would expand to ${entry.uncompressedSize} bytes (limit ${limits.maxAssetBytes}); not copied`);
      continue;
    }
    if (entry.uncompressedSize >= MIN_BYTES_FOR_RATIO_CHECK && ratio > limits.maxCompressionRatio) {
      problems.push(
        `${archiveName}: ${entry.name} would expand ${Math.round(ratio)}:1 (limit ${limits.maxCompressionRatio}:1); refusing a possible zip bomb, not copied`,
      );
      continue;
    }
    const name = (parsed.isDat ? nameMap.get(base) : parsed.originalName) ?? base;
    files.set(parsed.fileId, { fileId: parsed.fileId, name, entry });
  }
  const absent = [...nameMap.keys()].filter((datName) => !datNames.has(datName));
  if (absent.length > 0) {
    problems.push(`${archiveName}: conversation_asset_file_names.json names ${absent.length} file(s) the export lacks (${summarizeNames(absent, 5)})`);
  }
  return { files, problems };
}
