// The normalized form of one conversation: what `threadline convert` prints (one per JSONL line)
// and what the archive store keeps. Times are ISO-8601 UTC strings or null.

export interface Attachment {
  id: string | null;
  name: string | null;
  mime_type: string | null;
  size: number | null;
}

export interface NormalizedMessage {
  id: string;
  /** 0-based index among the visible messages of the canonical thread. */
  position: number;
  role: string;
  author_name: string | null;
  content_type: string;
  /** Every piece of text the content carries; placeholders such as `[image: file-…]` for assets. */
  text: string;
  create_time: string | null;
  model: string | null;
  recipient: string | null;
  attachments: Attachment[];
  asset_pointers: string[];
}

export interface NormalizedConversation {
  conversation_id: string;
  title: string;
  create_time: string | null;
  update_time: string | null;
  /** YYYY-MM-DD and HH:MM of create_time (UTC), or null when no time is known. */
  date: string | null;
  time: string | null;
  model: string | null;
  is_archived: boolean;
  message_count: number;
  messages: NormalizedMessage[];
  /** Markdown: `**User:** …`, code fenced, tool and thought output marked for folding. */
  transcript: string;
  /** Plain text: `User: …`. */
  raw_text: string;
  /** Stable hash of everything stored (title, times, model, messages). */
  content_hash: string;
  warnings: string[];
}

/** A conversation that could not be normalized; it never stops the others. */
export interface ConversationFailure {
  index: number;
  conversation_id: string | null;
  reason: string;
}
