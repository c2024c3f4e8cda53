// Test fixture builder: small raw conversations written out in the test that uses them.
// (Not a test itself; vitest only runs *.test.ts.)

import type { RawConversation, RawMessage, RawNode } from './rawExport';

let clock = 1_700_000_000;

/** A message with `parts` content; times tick up by one second per message unless given. */
export function message(
  id: string,
  role: string,
  parts: unknown[] | string,
  extra: Partial<RawMessage> = {},
): RawMessage {
  return {
    id,
    author: { role, name: null, metadata: {} },
    create_time: clock++,
    content: { content_type: 'text', parts: typeof parts === 'string' ? [parts] : parts },
    metadata: {},
    recipient: 'all',
    ...extra,
  };
}

/** A node; `message` null makes a root-like empty node. */
export function node(id: string, parent: string | null, nodeMessage: RawMessage | null = null): RawNode {
  return { id, message: nodeMessage, parent };
}

/** A linear thread: a null root, then user/assistant messages alternating, one per text. */
export function chainNodes(texts: string[], rootId = 'root'): RawNode[] {
  const nodes: RawNode[] = [node(rootId, null)];
  texts.forEach((text, i) => {
    const id = `m${i}`;
    nodes.push(node(id, i === 0 ? rootId : `m${i - 1}`, message(id, i % 2 === 0 ? 'user' : 'assistant', text)));
  });
  return nodes;
}

/**
 * A conversation whose mapping holds `nodes` in the given order. `children` arrays are derived
 * from `parent` unless `withChildren` is false (a "slim" export).
 */
export function conversation(
  nodes: RawNode[],
  fields: Partial<RawConversation> = {},
  withChildren = true,
): RawConversation {
  const mapping: Record<string, RawNode> = {};
  for (const entry of nodes) mapping[entry.id!] = withChildren ? { ...entry, children: [] } : { ...entry };
  if (withChildren) {
    for (const entry of nodes) {
      if (entry.parent && mapping[entry.parent]) mapping[entry.parent].children!.push(entry.id!);
    }
  }
  return {
    id: 'conv-1',
    conversation_id: 'conv-1',
    title: 'A title',
    create_time: 1_700_000_000.5,
    update_time: 1_700_000_900.25,
    mapping,
    current_node: nodes.at(-1)?.id ?? null,
    default_model_slug: null,
    is_archived: false,
    ...fields,
  };
}
