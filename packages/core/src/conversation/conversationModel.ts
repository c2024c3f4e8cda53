// The model a conversation is filed under: the conversation's own default, or else the model that
// answered most of its messages (older exports only record it per message).

import type { NormalizedMessage } from './normalizedConversation';

/** `default_model_slug`, else the most frequent message model; ties go to the one used last. */
export function conversationModel(defaultModelSlug: unknown, messages: NormalizedMessage[]): string | null {
  if (typeof defaultModelSlug === 'string' && defaultModelSlug !== '') return defaultModelSlug;
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const message of messages) {
    if (message.model === null || message.model === '') continue;
    const count = (counts.get(message.model) ?? 0) + 1;
    counts.set(message.model, count);
    if (count >= bestCount) {
      best = message.model;
      bestCount = count;
    }
  }
  return best;
}
