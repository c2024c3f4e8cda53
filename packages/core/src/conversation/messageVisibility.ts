// Which messages of the canonical thread a reader sees. ChatGPT hides scaffolding (system prompts,
// custom-instruction context, empty placeholders); we hide the same. Tool calls, code, execution
// output, browsing results, thoughts and reasoning recaps stay: the transcript folds them instead.

import type { NormalizedMessage } from './normalizedConversation';
import type { RawMessage } from './rawExport';

const CONTEXT_CONTENT_TYPES = new Set(['user_editable_context', 'model_editable_context']);

/** Why a message is hidden, or null when it is visible. */
export function hiddenReason(
  raw: RawMessage,
  normalized: Pick<NormalizedMessage, 'role' | 'content_type' | 'text' | 'attachments' | 'asset_pointers'>,
): string | null {
  const metadata = raw.metadata !== null && typeof raw.metadata === 'object' ? raw.metadata : {};
  if (metadata.is_visually_hidden_from_conversation === true) return 'visually hidden';
  if (normalized.role === 'system' && metadata.is_user_system_message !== true) return 'system message';
  if (CONTEXT_CONTENT_TYPES.has(normalized.content_type)) return 'editable context';
  if (normalized.text.trim() === '' && normalized.attachments.length === 0 && normalized.asset_pointers.length === 0) {
    return 'empty';
  }
  return null;
}

/** True when a reader sees this message. */
export function isVisibleMessage(
  raw: RawMessage,
  normalized: Pick<NormalizedMessage, 'role' | 'content_type' | 'text' | 'attachments' | 'asset_pointers'>,
): boolean {
  return hiddenReason(raw, normalized) === null;
}
