// The text a message's content carries, as one string: pieces joined with a blank line.
// Known content types read their known fields; anything else (new types appear all the time) is
// searched for text-like fields, so an unknown type keeps its text instead of vanishing.

import { assetPlaceholder } from './assetPlaceholder';
import { stripCitationMarkers } from './citationMarkers';

type Fields = Record<string, unknown>;

// Keys whose string values are text somebody wrote or read, in any content type we do not know.
const TEXT_KEYS = new Set(['text', 'content', 'result', 'parts', 'summary', 'title', 'url', 'snippet']);
const MAX_DEPTH = 12;
const MAX_VISITED = 50_000;

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Strings under text-like keys, in document order; asset pointers become placeholders.
 * Iterative and bounded: exports can be deep and we never want to crash or stall on one.
 */
function searchText(root: unknown, rootIsText: boolean): string[] {
  const pieces: string[] = [];
  const stack: Array<{ value: unknown; isText: boolean; depth: number }> = [
    { value: root, isText: rootIsText, depth: 0 },
  ];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_VISITED) {
    const { value, isText, depth } = stack.pop()!;
    visited++;
    if (typeof value === 'string') {
      if (isText) pieces.push(value);
      continue;
    }
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], isText, depth: depth + 1 });
      continue;
    }
    const fields = value as Fields;
    if (typeof fields.asset_pointer === 'string' && fields.asset_pointer !== '') {
      pieces.push(assetPlaceholder(fields.content_type, fields.asset_pointer));
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push({ value: child, isText: TEXT_KEYS.has(key), depth: depth + 1 });
    }
  }
  return pieces;
}

function strings(...values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string');
}

/** The text pieces of a known content type, or null to fall back to the generic search. */
function knownPieces(content: Fields): string[] | null {
  switch (content.content_type) {
    case 'text':
    case 'multimodal_text':
      // Parts mix strings with objects: audio_transcription (its `text`), asset pointers.
      return Array.isArray(content.parts) ? searchText(content.parts, true) : [];
    case 'code':
    case 'execution_output':
      return strings(content.text);
    case 'tether_quote':
      return strings(content.title, content.url, content.text);
    case 'tether_browsing_display':
      return strings(content.result, content.summary);
    case 'thoughts':
      return Array.isArray(content.thoughts)
        ? content.thoughts.flatMap((thought) => (isFields(thought) ? strings(thought.summary, thought.content) : []))
        : [];
    case 'reasoning_recap':
      return strings(content.content);
    case 'system_error':
      return strings(content.name, content.text);
    case 'user_editable_context':
      return strings(content.user_profile, content.user_instructions);
    case 'model_editable_context':
      return strings(content.model_set_context);
    default:
      return null;
  }
}

/**
 * Every piece of text in a message's content, citation markup stripped, empty pieces skipped,
 * joined with "\n\n". Never throws; a missing or odd content gives "".
 */
export function messageText(content: unknown): string {
  if (!isFields(content)) return typeof content === 'string' ? stripCitationMarkers(content) : '';
  let pieces = knownPieces(content);
  // A known type whose expected fields are missing may still hold text somewhere else.
  if (pieces === null || pieces.length === 0) {
    const { content_type: _type, ...rest } = content;
    pieces = searchText(rest, false);
  }
  return pieces
    .map(stripCitationMarkers)
    .filter((piece) => piece.trim() !== '')
    .join('\n\n');
}
