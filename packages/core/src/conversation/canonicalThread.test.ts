import { describe, expect, it } from 'vitest';
import { canonicalThread } from './canonicalThread';
import { chainNodes, conversation, message, node } from './rawConversationBuilder.fixture';

const ids = (raw: ReturnType<typeof conversation>) =>
  canonicalThread(raw.mapping, raw.current_node).nodes.map((entry) => entry.id);

describe('canonicalThread', () => {
  it('follows current_node onto a non-first child (a regenerated answer)', () => {
    // root → q → {a-first, a-regenerated}; the user kept the regenerated one.
    const raw = conversation(
      [
        node('root', null),
        node('q', 'root', message('q', 'user', 'question')),
        node('a-first', 'q', message('a-first', 'assistant', 'first try')),
        node('a-regenerated', 'q', message('a-regenerated', 'assistant', 'second try')),
      ],
      { current_node: 'a-regenerated' },
    );
    expect(raw.mapping!.q.children).toEqual(['a-first', 'a-regenerated']);
    expect(ids(raw)).toEqual(['root', 'q', 'a-regenerated']);
  });

  it('returns root-first order even when mapping order is not tree order', () => {
    const nodes = chainNodes(['a', 'b', 'c']).reverse();
    const raw = conversation(nodes, { current_node: 'm2' });
    expect(ids(raw)).toEqual(['root', 'm0', 'm1', 'm2']);
  });

  it('builds the tree from parent links alone (no children arrays)', () => {
    const raw = conversation(chainNodes(['a', 'b']), {}, false);
    expect(raw.mapping!.m0.children).toBeUndefined();
    expect(ids(raw)).toEqual(['root', 'm0', 'm1']);
  });

  it('falls back to the latest leaf when current_node is missing', () => {
    const raw = conversation(
      [
        node('root', null),
        node('old', 'root', message('old', 'user', 'x', { create_time: 100 })),
        node('new', 'root', message('new', 'user', 'y', { create_time: 200 })),
        node('mid', 'root', message('mid', 'user', 'z', { create_time: 150 })),
      ],
      { current_node: null },
    );
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes.map((entry) => entry.id)).toEqual(['root', 'new']);
    expect(thread.warnings).toEqual(['current_node is missing; used the latest leaf "new"']);
  });

  it('falls back to the latest leaf when current_node dangles; ties go to the last in mapping order', () => {
    const raw = conversation(
      [
        node('root', null),
        node('tie-1', 'root', message('tie-1', 'user', 'x', { create_time: 300 })),
        node('tie-2', 'root', message('tie-2', 'user', 'y', { create_time: 300 })),
        node('older', 'root', message('older', 'user', 'z', { create_time: 100 })),
      ],
      { current_node: 'gone' },
    );
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes.map((entry) => entry.id)).toEqual(['root', 'tie-2']);
    expect(thread.warnings[0]).toMatch(/current_node "gone" is not in mapping \(dangling\).*"tie-2"/);
  });

  it('treats leaves without times as older than any timed leaf', () => {
    const raw = conversation(
      [node('root', null), node('timed', 'root', message('timed', 'user', 'x', { create_time: 5 })), node('blank', 'root')],
      { current_node: undefined },
    );
    expect(ids(raw)).toEqual(['root', 'timed']);
  });

  it('stops at a parent outside mapping and warns', () => {
    // An excerpt: the real root and first messages were cut away.
    const raw = conversation(
      [node('a', 'cut-away', message('a', 'user', 'x')), node('b', 'a', message('b', 'assistant', 'y'))],
      { current_node: 'b' },
    );
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(thread.warnings).toEqual(['node "a" has parent "cut-away" outside mapping; thread starts at "a"']);
  });

  it('terminates on a cycle and warns', () => {
    const raw = conversation(
      [node('a', 'c', message('a', 'user', 'x')), node('b', 'a', message('b', 'assistant', 'y')), node('c', 'b', message('c', 'user', 'z'))],
      { current_node: 'c' },
    );
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes.map((entry) => entry.id)).toEqual(['a', 'b', 'c']);
    expect(thread.warnings).toEqual(['cycle in parent links at node "c"; stopped there']);
  });

  it('terminates on a cycle with no leaf and no current_node', () => {
    const raw = conversation([node('a', 'b', message('a', 'user', 'x')), node('b', 'a', message('b', 'user', 'y'))], {
      current_node: null,
    });
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes).toHaveLength(2);
    expect(thread.warnings.some((warning) => warning.startsWith('cycle'))).toBe(true);
  });

  it('walks a 10,000-deep chain without overflowing the stack', () => {
    const texts = Array.from({ length: 10_000 }, (_, i) => `message ${i}`);
    const raw = conversation(chainNodes(texts), {}, false);
    const thread = canonicalThread(raw.mapping, raw.current_node);
    expect(thread.nodes).toHaveLength(10_001);
    expect(thread.nodes[0].id).toBe('root');
    expect(thread.nodes.at(-1)!.id).toBe('m9999');
    expect(thread.warnings).toEqual([]);
  });

  it('warns and returns nothing when there is no mapping', () => {
    expect(canonicalThread(undefined, 'x')).toEqual({ nodes: [], warnings: ['conversation has no mapping: no messages'] });
    expect(canonicalThread({}, null).warnings).toEqual(['conversation mapping is empty: no messages']);
  });

  it('ignores mapping entries that are not objects', () => {
    const raw = conversation(chainNodes(['a']), { current_node: 'm0' });
    (raw.mapping as Record<string, unknown>).junk = 'not a node';
    expect(ids(raw)).toEqual(['root', 'm0']);
  });
});
