// The files a message points at: its content's asset pointers, then attachments no pointer
// already names. One entry per file id, in that order.

import { assetFileId } from './assetPlaceholder';
import type { Attachment, NormalizedMessage } from './normalizedConversation';

export interface MessageFileReference {
  /** As the export wrote it: `sediment://file_…`, `file-service://file-…`, or an attachment's id. */
  pointer: string;
  fileId: string;
  /** What the message's metadata says about the file, if it lists it. */
  attachment: Attachment | null;
}

export function messageFiles(message: Pick<NormalizedMessage, 'asset_pointers' | 'attachments'>): MessageFileReference[] {
  const byId = new Map<string, MessageFileReference>();
  const attachments = new Map(message.attachments.filter((a) => a.id).map((a) => [a.id!, a]));
  for (const pointer of message.asset_pointers) {
    const fileId = assetFileId(pointer);
    if (!byId.has(fileId)) byId.set(fileId, { pointer, fileId, attachment: attachments.get(fileId) ?? null });
  }
  for (const [fileId, attachment] of attachments) {
    if (!byId.has(fileId)) byId.set(fileId, { pointer: fileId, fileId, attachment });
  }
  return [...byId.values()];
}
