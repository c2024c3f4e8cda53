// The shape of a ChatGPT export as found in the wild. Everything is optional and loosely typed
// because real exports omit, null out and add keys freely (see DESIGN.md §2).

export interface RawAuthor {
  role?: string | null;
  name?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface RawContent {
  content_type?: string;
  parts?: unknown[] | null;
  text?: unknown;
  [key: string]: unknown;
}

export interface RawMessage {
  id?: string;
  author?: RawAuthor | null;
  create_time?: number | null;
  update_time?: number | null;
  content?: RawContent | null;
  status?: string | null;
  end_turn?: boolean | null;
  weight?: number | null;
  recipient?: string | null;
  channel?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface RawNode {
  id?: string;
  message?: RawMessage | null;
  parent?: string | null;
  children?: string[] | null;
}

export interface RawConversation {
  id?: string | null;
  conversation_id?: string | null;
  title?: string | null;
  create_time?: number | null;
  update_time?: number | null;
  mapping?: Record<string, RawNode> | null;
  current_node?: string | null;
  default_model_slug?: string | null;
  gizmo_id?: string | null;
  is_archived?: boolean | null;
  is_starred?: boolean | null;
  [key: string]: unknown;
}
