// The plain-text form of a conversation (for search and plain exports): `User: …` per message.

import type { NormalizedMessage } from './normalizedConversation';
import { roleLabel } from './roleLabel';

/** What separates the messages' blocks in the plain text: a blank line. */
export const RAW_TEXT_SEPARATOR = '\n\n';

/** `Label: text` per visible message: the plain text is these joined by RAW_TEXT_SEPARATOR. */
export function rawTextBlocks(messages: NormalizedMessage[]): string[] {
  return messages.map((message) => `${roleLabel(message)}: ${message.text}`);
}

/** `Label: text` per visible message, separated by a blank line. */
export function renderRawText(messages: NormalizedMessage[]): string {
  return rawTextBlocks(messages).join(RAW_TEXT_SEPARATOR);
}
