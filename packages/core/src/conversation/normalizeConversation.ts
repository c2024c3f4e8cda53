// One raw conversation from an export → the normalized conversation we store, or a failure with a
// human reason. Never throws: one bad conversation must not stop an import of thousands.

import { canonicalThread } from './canonicalThread';
import { contentHash } from './contentHash';
import { conversationModel } from './conversationModel';
import { epochSeconds, isoFromEpochSeconds, utcDate, utcTime } from './exportTimes';
import { isVisibleMessage } from './messageVisibility';
import type { ConversationFailure, NormalizedConversation, NormalizedMessage } from './normalizedConversation';
import { normalizeMessage } from './normalizeMessage';
import type { RawConversation, RawMessage } from './rawExport';
import { renderRawText } from './rawText';
import { renderTranscript } from './transcript';

export type NormalizeResult<T = NormalizedConversation> =
  | { ok: true; conversation: T }
  | { ok: false; failure: ConversationFailure };

/**
 * A normalized conversation before its content hash, for callers that hash what they serialize,
 * and before its transcript and plain text are rendered (renderTranscript, renderRawText): a
 * caller that writes them out renders them piece by piece, never as one string.
 */
export type UnhashedConversation = Omit<NormalizedConversation, 'content_hash' | 'transcript' | 'raw_text'> & {
  /** Code messages' languages by message id (the transcript labels their fences). */
  code_languages: ReadonlyMap<string, string>;
};

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `conversation_id`, else `id` (exports write both; some tools only one). */
export function conversationId(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const fields = raw as RawConversation;
  return nonEmptyString(fields.conversation_id) ?? nonEmptyString(fields.id);
}

interface VisibleThread {
  messages: NormalizedMessage[];
  codeLanguages: Map<string, string>;
  /** Epoch seconds of the earliest and latest visible message, for conversations without times. */
  earliest: number | null;
  latest: number | null;
}

function visibleThread(raw: RawConversation, warnings: string[]): VisibleThread {
  const thread = canonicalThread(raw.mapping, raw.current_node);
  warnings.push(...thread.warnings);
  const visible: VisibleThread = { messages: [], codeLanguages: new Map(), earliest: null, latest: null };
  for (const { id, node } of thread.nodes) {
    const message = node.message;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) continue;
    const rawMessage = message as RawMessage;
    const normalized = normalizeMessage(rawMessage, id, visible.messages.length);
    if (!isVisibleMessage(rawMessage, normalized)) continue;
    visible.messages.push(normalized);
    const language = rawMessage.content?.language;
    if (normalized.content_type === 'code' && typeof language === 'string') {
      visible.codeLanguages.set(normalized.id, language);
    }
    const time = epochSeconds(rawMessage.create_time);
    if (time !== null) {
      visible.earliest = visible.earliest === null ? time : Math.min(visible.earliest, time);
      visible.latest = visible.latest === null ? time : Math.max(visible.latest, time);
    }
  }
  if (thread.nodes.length > 0 && visible.messages.length === 0) {
    warnings.push('conversation has no visible messages');
  }
  return visible;
}

function normalize(raw: RawConversation, id: string): UnhashedConversation {
  const warnings: string[] = [];
  const thread = visibleThread(raw, warnings);
  // create_time > update_time happens in real exports; both are kept as given.
  const createTime = isoFromEpochSeconds(raw.create_time) ?? isoFromEpochSeconds(thread.earliest);
  const updateTime = isoFromEpochSeconds(raw.update_time) ?? isoFromEpochSeconds(thread.latest);
  return {
    conversation_id: id,
    title: typeof raw.title === 'string' && raw.title.trim() !== '' ? raw.title : 'Untitled',
    create_time: createTime,
    update_time: updateTime,
    model: conversationModel(raw.default_model_slug, thread.messages),
    is_archived: raw.is_archived === true,
    messages: thread.messages,
    date: utcDate(createTime),
    time: utcTime(createTime),
    message_count: thread.messages.length,
    code_languages: thread.codeLanguages,
    warnings,
  };
}

function withContentHash(conversation: UnhashedConversation): NormalizedConversation {
  const { code_languages, warnings, ...fields } = conversation;
  // Keys in the order the normalized conversation has always had.
  return {
    ...fields,
    transcript: renderTranscript(fields.messages, code_languages),
    raw_text: renderRawText(fields.messages),
    warnings,
    content_hash: contentHash(conversation),
  };
}

/**
 * Normalize the conversation at `index` of an export. Never throws: a non-object, a missing id or
 * any unexpected error becomes `{ ok: false, failure }` with a reason a person can act on.
 */
export function normalizeConversation(raw: unknown, index: number): NormalizeResult {
  return normalizeConversationAs(raw, index, withContentHash);
}

/**
 * normalizeConversation with the last step (hashing, serializing) the caller's: `finish` gets
 * the conversation without its content hash; what it throws becomes a failure too.
 */
export function normalizeConversationAs<T>(raw: unknown, index: number, finish: (conversation: UnhashedConversation) => T): NormalizeResult<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const kind = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
    return { ok: false, failure: { index, conversation_id: null, reason: `not a conversation object (got ${kind})` } };
  }
  const id = conversationId(raw);
  if (id === null) return { ok: false, failure: { index, conversation_id: null, reason: 'missing id' } };
  try {
    return { ok: true, conversation: finish(normalize(raw as RawConversation, id)) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { index, conversation_id: id, reason: `could not be read: ${detail}` } };
  }
}
