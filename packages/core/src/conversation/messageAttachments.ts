// Files the user attached to a message, from `metadata.attachments[]`. Only the fields we keep;
// anything malformed becomes null rather than an error.

import type { Attachment } from './normalizedConversation';

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The attachments listed in a message's metadata (non-objects are skipped). */
export function messageAttachments(metadata: unknown): Attachment[] {
  if (metadata === null || typeof metadata !== 'object') return [];
  const list = (metadata as Record<string, unknown>).attachments;
  if (!Array.isArray(list)) return [];
  const attachments: Attachment[] = [];
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const fields = entry as Record<string, unknown>;
    attachments.push({
      id: stringOrNull(fields.id),
      name: stringOrNull(fields.name),
      mime_type: stringOrNull(fields.mime_type),
      size: typeof fields.size === 'number' && Number.isFinite(fields.size) ? fields.size : null,
    });
  }
  return attachments;
}
