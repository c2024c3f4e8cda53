import { baseNameOf, compareConversationFileNames, isConversationFileName } from './conversationFiles';

/** What an `export_manifest.json` tells us about the conversation files. */
export interface ExportManifestFacts {
  /** Conversation files the export should hold: base names, in reading order, unique. */
  conversationFiles: string[];
  /** The byte size the inventory lists for a file, by base name (only sizes it states). */
  listedSizes: Map<string, number>;
}

/**
 * Reads the conversation files and their sizes out of an `export_manifest.json`.
 *
 * The real 2026 shape (DESIGN §2) is `{export_files: [{path, size_bytes}], logical_files:
 * {"conversations.json": {files: [...], sharded: true}, …}}`: `export_files` is the inventory
 * and `logical_files` maps LOGICAL names to files — so a key of `logical_files` is never a file
 * (a sharded export has no `conversations.json`). For any other shape we assume nothing: every
 * string anywhere whose last path segment is a conversation file name counts, and so does an
 * object key (`{"conversations-003.json": {"bytes": 1}}`) — unless its value lists `files`: that
 * is a logical group, like `logical_files`' entries, not a file.
 */
export function readExportManifest(manifest: unknown): ExportManifestFacts {
  const root = asRecord(manifest);
  const inventory = Array.isArray(root?.export_files) ? root.export_files : null;
  const logical = asRecord(asRecord(root?.logical_files)?.['conversations.json'])?.files;
  const listedSizes = new Map<string, number>();
  for (const file of inventory ?? []) {
    const entry = asRecord(file);
    const size = entry?.size_bytes;
    if (typeof entry?.path === 'string' && typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) {
      listedSizes.set(baseNameOf(entry.path.replace(/\\/g, '/')), size);
    }
  }

  const names = new Set<string>();
  if (inventory !== null || Array.isArray(logical)) {
    for (const file of inventory ?? []) {
      const path = asRecord(file)?.path;
      if (typeof path === 'string') addIfConversationFile(path, names);
    }
    for (const file of Array.isArray(logical) ? logical : []) {
      if (typeof file === 'string') addIfConversationFile(file, names);
    }
  } else {
    collectConversationFileNames(manifest, names);
  }
  return { conversationFiles: [...names].sort(compareConversationFileNames), listedSizes };
}

function collectConversationFileNames(manifest: unknown, names: Set<string>): void {
  const pending: unknown[] = [manifest];
  // Iterative walk: a hostile manifest must not overflow the stack.
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      addIfConversationFile(value, names);
    } else if (Array.isArray(value)) {
      pending.push(...value);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (!Array.isArray(asRecord(inner)?.files)) addIfConversationFile(key, names);
        pending.push(inner);
      }
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function addIfConversationFile(path: string, names: Set<string>): void {
  const baseName = baseNameOf(path.replace(/\\/g, '/'));
  if (isConversationFileName(baseName)) names.add(baseName);
}
