/**
 * The shapes the generator writes, in the key order real ChatGPT exports use.
 * Stricter than the reader's Raw* types on purpose: the generator always knows
 * what it emits.
 */

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';

export interface ExportAuthor {
  role: MessageRole;
  name: string | null;
  metadata: Record<string, unknown>;
}

export interface ExportContent {
  content_type: string;
  [key: string]: unknown;
}

export interface ExportMessage {
  id: string;
  author: ExportAuthor;
  create_time: number | null;
  update_time: number | null;
  content: ExportContent;
  status: string;
  end_turn: boolean | null;
  weight: number;
  metadata: Record<string, unknown>;
  recipient: string;
  channel: string | null;
}

export interface ExportNode {
  id: string;
  message: ExportMessage | null;
  parent: string | null;
  children: string[];
}

export interface ExportConversation {
  title: string | null;
  create_time: number;
  update_time: number | null;
  mapping: Record<string, ExportNode>;
  moderation_results: unknown[];
  current_node: string;
  plugin_ids: string[] | null;
  conversation_id: string;
  conversation_template_id: string | null;
  gizmo_id: string | null;
  gizmo_type: string | null;
  is_archived: boolean;
  is_starred: boolean | null;
  safe_urls: string[];
  blocked_urls: string[];
  default_model_slug: string | null;
  conversation_origin: string | null;
  voice: string | null;
  async_status: number | null;
  disabled_tool_ids: string[];
  is_do_not_remember: boolean;
  memory_scope: string;
  sugar_item_id: string | null;
  id: string;
}
