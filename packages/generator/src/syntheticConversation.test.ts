import { describe, expect, it } from 'vitest';
import { CONVERSATION_FEATURES } from './conversationFeatures';
import type { ExportConversation } from './exportShapes';
import { deriveSeed, SeededRandom } from './seededRandom';
import { generateConversation } from './syntheticConversation';

function build(index: number, seed = 1): ExportConversation {
  return generateConversation(new SeededRandom(deriveSeed(seed, index)), index);
}

/** Ids from current_node up to the root, walking `parent` links. */
function canonicalPath(conversation: ExportConversation): string[] {
  const path: string[] = [];
  for (let id: string | null = conversation.current_node; id !== null; id = conversation.mapping[id].parent) path.push(id);
  return path;
}

describe('generateConversation', () => {
  it('is pure: the same rng state and index give the same conversation', () => {
    expect(JSON.stringify(build(5))).toBe(JSON.stringify(build(5)));
    expect(JSON.stringify(build(5))).not.toBe(JSON.stringify(build(5, 2)));
  });

  it('builds a consistent tree: parent and children links agree, current_node leads to a message-less root', () => {
    for (let index = 0; index < CONVERSATION_FEATURES.length * 2; index++) {
      const conversation = build(index);
      const { mapping } = conversation;
      for (const [id, node] of Object.entries(mapping)) {
        expect(node.id).toBe(id);
        for (const child of node.children) expect(mapping[child].parent).toBe(id);
        if (node.parent !== null) expect(mapping[node.parent].children).toContain(id);
        expect(node.children.length).toBeLessThanOrEqual(20);
      }
      const path = canonicalPath(conversation);
      const root = mapping[path[path.length - 1]];
      expect(root.message).toBeNull();
      expect(mapping[conversation.current_node].children).toEqual([]);
      expect(conversation.id).toBe(conversation.conversation_id);
    }
  });

  it('puts the canonical child after an abandoned sibling when the conversation has an edit', () => {
    const conversation = generateConversation(new SeededRandom(9), 0, { features: ['editBranch'] });
    const path = canonicalPath(conversation);
    const branchedAt = path.filter((id) => {
      const parent = conversation.mapping[id].parent;
      return parent !== null && conversation.mapping[parent].children.indexOf(id) > 0;
    });
    expect(branchedAt.length).toBeGreaterThan(0);
  });

  it('does not list the mapping in tree order', () => {
    const conversation = generateConversation(new SeededRandom(3), 0, { features: ['long'] });
    const keys = Object.keys(conversation.mapping);
    expect(keys.length).toBeGreaterThan(200);
    expect(keys).not.toEqual([...canonicalPath(conversation)].reverse());
    expect(keys[0]).not.toBe(canonicalPath(conversation).at(-1));
  });

  it('moves conversation-level model to messages when default_model_slug is null', () => {
    const conversation = generateConversation(new SeededRandom(4), 0, { features: ['perMessageModel'] });
    expect(conversation.default_model_slug).toBeNull();
    const assistants = Object.values(conversation.mapping).filter((node) => node.message?.author.role === 'assistant');
    expect(assistants.length).toBeGreaterThan(0);
    for (const node of assistants) expect(typeof node.message!.metadata.model_slug).toBe('string');
  });
});
