// A tiny builder of NormalizedConversation for the store's tests (no normalizer involved).
// content_hash comes from contentHash so equal inputs hash equally, as real imports do.

import { createHash } from 'node:crypto';
import { contentHash } from '../../src/conversation/contentHash';
import type { NormalizedConversation, NormalizedMessage } from '../../src/conversation/normalizedConversation';

export type MessageSpec = string | (Partial<NormalizedMessage> & { text: string });

export interface ConversationSpec {
  id: string;
  title?: string;
  create_time?: string | null;
  update_time?: string | null;
  messages?: MessageSpec[];
  transcript?: string;
  raw_text?: string;
}

export function buildMessage(spec: MessageSpec, position: number): NormalizedMessage {
  const fields = typeof spec === 'string' ? { text: spec } : spec;
  const role = fields.role ?? (position % 2 === 0 ? 'user' : 'assistant');
  return {
    id: `msg-${position}-${role}`,
    position,
    role,
    author_name: null,
    content_type: 'text',
    create_time: null,
    model: role === 'assistant' ? 'gpt-4o' : null,
    recipient: 'all',
    attachments: [],
    asset_pointers: [],
    ...fields,
  };
}

export function buildConversation(spec: ConversationSpec): NormalizedConversation {
  const messages = (spec.messages ?? ['Hello', 'Hi there']).map(buildMessage);
  const create_time = spec.create_time === undefined ? '2024-01-01T00:00:00.000Z' : spec.create_time;
  const update_time = spec.update_time === undefined ? create_time : spec.update_time;
  const title = spec.title ?? `Conversation ${spec.id}`;
  const conversation: Omit<NormalizedConversation, 'content_hash'> = {
    conversation_id: spec.id,
    title,
    create_time,
    update_time,
    date: create_time ? create_time.slice(0, 10) : null,
    time: create_time ? create_time.slice(11, 16) : null,
    model: 'gpt-4o',
    is_archived: false,
    message_count: messages.length,
    messages,
    transcript: spec.transcript ?? messages.map((m) => `**${m.role}:** ${m.text}`).join('\n\n'),
    raw_text: spec.raw_text ?? messages.map((m) => `${m.role}: ${m.text}`).join('\n'),
    warnings: [],
  };
  // Tests may set a transcript that does not follow from the messages; it feeds the hash too
  // so that changing only the transcript is an update.
  const content_hash = createHash('sha256')
    .update(JSON.stringify([contentHash(conversation), conversation.transcript, conversation.raw_text]))
    .digest('hex');
  return { ...conversation, content_hash };
}
