// One raw export message → the normalized message we store. Tolerates any missing or odd field.

import { assetPointers } from './assetPointers';
import { isoFromEpochSeconds } from './exportTimes';
import { messageAttachments } from './messageAttachments';
import { messageText } from './messageText';
import type { NormalizedMessage } from './normalizedConversation';
import type { RawMessage } from './rawExport';

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Normalize a message found at `nodeId` (used as its id when the message has none). */
export function normalizeMessage(raw: RawMessage, nodeId: string, position: number): NormalizedMessage {
  const author = raw.author !== null && typeof raw.author === 'object' ? raw.author : {};
  const metadata = raw.metadata !== null && typeof raw.metadata === 'object' ? raw.metadata : {};
  const content = raw.content !== null && typeof raw.content === 'object' ? raw.content : null;
  return {
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : nodeId,
    position,
    role: typeof author.role === 'string' && author.role !== '' ? author.role : 'unknown',
    author_name: stringOrNull(author.name),
    content_type:
      content !== null && typeof content.content_type === 'string' && content.content_type !== ''
        ? content.content_type
        : 'unknown',
    text: messageText(raw.content),
    create_time: isoFromEpochSeconds(raw.create_time),
    model: stringOrNull(metadata.model_slug),
    recipient: stringOrNull(raw.recipient),
    attachments: messageAttachments(metadata),
    asset_pointers: assetPointers(content),
  };
}
