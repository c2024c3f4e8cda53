// A snippet with its matched words in <mark>, built from text nodes: the snippet is conversation
// text (untrusted), so it is never parsed as HTML.

import { el } from './element';

export function highlightedText(text: string, highlights: readonly (readonly [number, number])[]): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(el('mark', {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}
