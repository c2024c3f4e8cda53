// Which messages are folded away (tool calls and output, browsing, thoughts) and what their fold
// says. The message text is still shown in full when opened; only the first view is calmer.

export interface FoldableMessage {
  role: string;
  content_type: string;
  recipient: string | null;
  author_name: string | null;
}

/** Content types whose text is code or raw output: shown verbatim, not as Markdown. */
const verbatimTypes = new Set(['code', 'execution_output', 'computer_output']);

/** The fold's summary, or null when the message is shown open (plain conversation turns). */
export function foldLabelOf(message: FoldableMessage): string | null {
  const type = message.content_type;
  if (type === 'thoughts') return 'Thoughts';
  if (type === 'reasoning_recap') return 'Reasoning summary';
  if (type === 'code') return message.recipient && message.recipient !== 'all' ? `Code for ${message.recipient}` : 'Code';
  if (type === 'execution_output') return 'Execution output';
  if (type.startsWith('tether_')) return type === 'tether_quote' ? 'Quoted web page' : 'Browsing result';
  if (message.role === 'tool') return `Tool output${message.author_name ? ` · ${message.author_name}` : ''}`;
  if (message.recipient && message.recipient !== 'all') return `Call to ${message.recipient}`;
  return null;
}

export function isVerbatim(message: FoldableMessage): boolean {
  return verbatimTypes.has(message.content_type);
}
