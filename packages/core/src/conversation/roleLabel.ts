// The name a transcript gives a speaker: "User", "Assistant", "Tool (browser)", …

import type { NormalizedMessage } from './normalizedConversation';

const ROLE_NAMES: Record<string, string> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

/** "User", "Assistant", "System", "Tool (browser)"; an unknown role is capitalized. */
export function roleLabel(message: Pick<NormalizedMessage, 'role' | 'author_name'>): string {
  const base = ROLE_NAMES[message.role] ?? message.role.charAt(0).toUpperCase() + message.role.slice(1);
  // Tools are told apart by name (browser, python, dalle…); a user's or assistant's name is noise.
  return message.role === 'tool' && message.author_name ? `${base} (${message.author_name})` : base;
}
