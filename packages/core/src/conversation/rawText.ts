// The plain-text form of a conversation (for search and plain exports): `User: …` per message.

import type { NormalizedMessage } from './normalizedConversation';
import { roleLabel } from './roleLabel';

/** `Label: text` per visible message, separated by a blank line. */
export function renderRawText(messages: NormalizedMessage[]): string {
  return messages.map((message) => `${roleLabel(message)}: ${message.text}`).join('\n\n');
}
