// Every `asset_pointer` string inside a message's content (image, audio, video parts, including
// the ones nested in `real_time_user_audio_video_asset_pointer`), in document order, once each.

const MAX_DEPTH = 12;
const MAX_VISITED = 50_000;

/** All asset pointers found in the content; bounded so hostile input cannot stall the import. */
export function assetPointers(content: unknown): string[] {
  const found = new Set<string>();
  // Iterative depth-first walk in document order.
  const stack: Array<{ value: unknown; depth: number }> = [{ value: content, depth: 0 }];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_VISITED) {
    const { value, depth } = stack.pop()!;
    visited++;
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) continue;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) {
      const pointer = (value as Record<string, unknown>).asset_pointer;
      if (typeof pointer === 'string' && pointer !== '') found.add(pointer);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 });
  }
  return [...found];
}
