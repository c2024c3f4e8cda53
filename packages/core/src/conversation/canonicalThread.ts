// The canonical thread of a conversation: the path from the root to the node the user last saw.
// Exports are trees (edits and regenerations branch them); only one path is "the conversation".
//
// Rules (other parts of the system rely on them exactly):
// 1. The tree comes from each node's `parent`; `children` is ignored (slim exports omit it, and
//    the canonical child is often not `children[0]`).
// 2. Start at `current_node` when it is in `mapping`; otherwise at the leaf (a node no other node
//    names as parent) whose message has the greatest `create_time`, the last such in mapping order.
// 3. Walk up through `parent` until it is null, outside `mapping`, or already visited (a cycle).
//    Iterative: real chains are 2,500+ deep.
// 4. Return root-first.

import { epochSeconds } from './exportTimes';
import type { RawNode } from './rawExport';

export interface CanonicalNode {
  /** The node's key in `mapping` (what `parent` and `current_node` refer to). */
  id: string;
  node: RawNode;
}

export interface CanonicalThread {
  /** Root first. */
  nodes: CanonicalNode[];
  warnings: string[];
}

function asNode(value: unknown): RawNode | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawNode) : null;
}

function parentOf(node: RawNode): string | null {
  return typeof node.parent === 'string' ? node.parent : null;
}

function messageTime(node: RawNode): number {
  const message = node.message;
  const seconds = message !== null && typeof message === 'object' ? epochSeconds(message.create_time) : null;
  return seconds ?? Number.NEGATIVE_INFINITY;
}

/** The node with the greatest message create_time; ties (and no times at all) go to the last. */
function latestOf(ids: string[], mapping: Map<string, RawNode>): string | null {
  let best: string | null = null;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const id of ids) {
    const time = messageTime(mapping.get(id)!);
    if (best === null || time >= bestTime) {
      best = id;
      bestTime = time;
    }
  }
  return best;
}

function latestLeaf(mapping: Map<string, RawNode>, warnings: string[]): string | null {
  const named = new Set<string>();
  for (const [id, node] of mapping) {
    const parent = parentOf(node);
    // A node naming itself is a cycle, not a child: it does not stop being a leaf.
    if (parent !== null && parent !== id) named.add(parent);
  }
  const leaves = [...mapping.keys()].filter((id) => !named.has(id));
  if (leaves.length > 0) return latestOf(leaves, mapping);
  warnings.push('mapping has no leaf (every node is a parent: a cycle); started at the latest node');
  return latestOf([...mapping.keys()], mapping);
}

/** The canonical path through `mapping`, root first, with warnings about anything repaired. */
export function canonicalThread(rawMapping: unknown, currentNode: unknown): CanonicalThread {
  const warnings: string[] = [];
  if (rawMapping === null || typeof rawMapping !== 'object' || Array.isArray(rawMapping)) {
    warnings.push('conversation has no mapping: no messages');
    return { nodes: [], warnings };
  }
  const mapping = new Map<string, RawNode>();
  for (const [id, value] of Object.entries(rawMapping)) {
    const node = asNode(value);
    if (node !== null) mapping.set(id, node);
  }
  if (mapping.size === 0) {
    warnings.push('conversation mapping is empty: no messages');
    return { nodes: [], warnings };
  }

  let start: string | null;
  if (typeof currentNode === 'string' && mapping.has(currentNode)) {
    start = currentNode;
  } else {
    start = latestLeaf(mapping, warnings);
    warnings.push(
      typeof currentNode === 'string' && currentNode !== ''
        ? `current_node "${currentNode}" is not in mapping (dangling); used the latest leaf "${start}"`
        : `current_node is missing; used the latest leaf "${start}"`,
    );
  }

  const path: CanonicalNode[] = [];
  const visited = new Set<string>();
  let id: string | null = start;
  while (id !== null) {
    if (visited.has(id)) {
      warnings.push(`cycle in parent links at node "${id}"; stopped there`);
      break;
    }
    visited.add(id);
    const node: RawNode = mapping.get(id)!;
    path.push({ id, node });
    const parent = parentOf(node);
    if (parent !== null && !mapping.has(parent)) {
      warnings.push(`node "${id}" has parent "${parent}" outside mapping; thread starts at "${id}"`);
      break;
    }
    id = parent;
  }
  path.reverse();
  return { nodes: path, warnings };
}
