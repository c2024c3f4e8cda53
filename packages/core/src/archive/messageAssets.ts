// A message's files as the archive holds them, resolved at read time from its pointers and
// attachments (the message items stay as they are): stored ones with their sha256, the others
// marked `stored: false` — "not in this export".

import { messageFiles } from '../conversation/messageFiles';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { isFileId } from './assetKeys';
import { getStoredFiles } from './assetFiles';
import type { StoreContext } from './storeContext';

export interface MessageAsset {
  pointer: string;
  name: string | null;
  mime_type: string | null;
  bytes: number | null;
  sha256: string | null;
  stored: boolean;
}

export type MessageWithAssets<M extends NormalizedMessage = NormalizedMessage> = M & { assets: MessageAsset[] };

export async function withMessageAssets<M extends NormalizedMessage>(ctx: StoreContext, userId: string, messages: readonly M[]): Promise<MessageWithAssets<M>[]> {
  const references = messages.map((message) => messageFiles(message));
  const fileIds = references.flat().map((ref) => ref.fileId).filter(isFileId);
  const stored = fileIds.length > 0 ? await getStoredFiles(ctx, userId, fileIds) : new Map();
  return messages.map((message, i) => ({
    ...message,
    assets: references[i]!.map((ref): MessageAsset => {
      const file = stored.get(ref.fileId);
      return file
        ? { pointer: ref.pointer, name: file.name, mime_type: file.mime_type, bytes: file.bytes, sha256: file.sha256, stored: true }
        : { pointer: ref.pointer, name: ref.attachment?.name ?? null, mime_type: ref.attachment?.mime_type ?? null, bytes: ref.attachment?.size ?? null, sha256: null, stored: false };
    }),
  }));
}
