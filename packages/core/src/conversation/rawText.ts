// The plain-text form of a conversation (for search and plain exports): `User: …` per message.

import type { NormalizedMessage } from './normalizedConversation';
import { roleLabel } from './roleLabel';

/** What separates the messages' blocks in the plain text: a blank line. */
export const RAW_TEXT_SEPARATOR = '\n\n';

/** What precedes a message's text in the plain text. */
export function rawTextLabel(message: NormalizedMessage): string {
  return `${roleLabel(message)}: `;
}

/** `Label: text` per visible message, separated by RAW_TEXT_SEPARATOR. */
export function renderRawText(messages: NormalizedMessage[]): string {
  return messages.map((message) => rawTextLabel(message) + message.text).join(RAW_TEXT_SEPARATOR);
}
