// The file ids a raw export conversation points at, on any branch of its tree: what Split needs
// to decide which chunk copies a file, before the conversation is normalized.

import { assetPointers } from './assetPointers';
import { assetFileId } from './assetPlaceholder';
import { messageAttachments } from './messageAttachments';

export function rawConversationFileIds(raw: unknown): string[] {
  const mapping = (raw as { mapping?: unknown } | null)?.mapping;
  if (mapping === null || typeof mapping !== 'object') return [];
  const ids = new Set<string>();
  for (const node of Object.values(mapping as Record<string, unknown>)) {
    const message = (node as { message?: unknown } | null)?.message as { content?: unknown; metadata?: unknown } | null | undefined;
    if (!message || typeof message !== 'object') continue;
    for (const pointer of assetPointers(message.content)) ids.add(assetFileId(pointer));
    for (const attachment of messageAttachments(message.metadata)) if (attachment.id) ids.add(attachment.id);
  }
  return [...ids];
}
