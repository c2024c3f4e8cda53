import { baseNameOf, compareConversationFileNames, isConversationFileName } from './conversationFiles';

/**
 * The conversation files an `export_manifest.json` says the export has.
 *
 * We have not seen a published schema (DESIGN §2: "inventory of paths and byte sizes"), so we
 * assume nothing about its shape: every string value and every object key anywhere in it whose
 * last path segment is `conversations.json` or `conversations-NNN.json` counts (so
 * `{"files":[{"path":"conversations-003.json","size":1}]}`, `{"conversations-003.json": 1}` and
 * `["export/conversations-003.json"]` all name shard 003). Returns base names, sorted, unique.
 */
export function conversationFilesInManifest(manifest: unknown): string[] {
  const names = new Set<string>();
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
        addIfConversationFile(key, names);
        pending.push(inner);
      }
    }
  }
  return [...names].sort(compareConversationFileNames);
}

function addIfConversationFile(path: string, names: Set<string>): void {
  const baseName = baseNameOf(path.replace(/\\/g, '/'));
  if (isConversationFileName(baseName)) names.add(baseName);
}
