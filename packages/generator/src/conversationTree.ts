import type { ExportMessage, ExportNode } from './exportShapes';
import type { SeededRandom } from './seededRandom';

/**
 * The mapping of one conversation while it is being built: nodes linked both ways
 * (`parent` and `children[]`), as real exports have them.
 */
export class ConversationTree {
  private readonly nodes = new Map<string, ExportNode>();

  constructor(readonly rootId: string) {
    this.nodes.set(rootId, { id: rootId, message: null, parent: null, children: [] });
  }

  /** Adds `message` under `parentId` as its last child; returns the new node's id. */
  add(parentId: string, message: ExportMessage): string {
    const parent = this.nodes.get(parentId);
    if (!parent) throw new Error(`unknown parent node ${parentId}`);
    parent.children.push(message.id);
    this.nodes.set(message.id, { id: message.id, message, parent: parentId, children: [] });
    return message.id;
  }

  get size(): number {
    return this.nodes.size;
  }

  /**
   * The mapping with its keys in shuffled order: real exports do not list nodes in
   * tree order, and readers that assume they do break.
   */
  shuffledMapping(rng: SeededRandom): Record<string, ExportNode> {
    const ids = rng.shuffle([...this.nodes.keys()]);
    const mapping: Record<string, ExportNode> = {};
    for (const id of ids) mapping[id] = this.nodes.get(id)!;
    return mapping;
  }
}
