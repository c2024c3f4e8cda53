// Conversation elements grouped for a worker thread: their bytes copied into one buffer of its
// own (so it can be transferred, not cloned) and where each element sits in it.

import type { ConversationElement } from '@threadline/core/chatgptExport/openExport';
import { BufferPool } from './bufferPool';

export interface ElementBatch {
  /** Ordinal of the batch in the export, from 0. */
  sequence: number;
  /** The elements' bytes back to back; its ArrayBuffer (maybe longer, from `buffers`) belongs to the batch alone. */
  bytes: Uint8Array;
  elements: BatchedElement[];
}

export interface BatchedElement {
  index: number;
  file: string;
  /** Byte offset of the element in its file (for error messages). */
  offset: number;
  /** Length of the element within the batch's bytes. */
  length: number;
}

/** ~1 MiB batches: few messages between threads, yet small enough to keep every thread busy. */
export const DEFAULT_BATCH_BYTES = 1024 * 1024;

/**
 * Groups elements into batches of about `batchBytes` (one element larger than that is its own
 * batch), their bytes in buffers from `buffers` (give spent batches' buffers back to it).
 */
export async function* elementBatches(
  elements: AsyncIterable<ConversationElement>,
  batchBytes = DEFAULT_BATCH_BYTES,
  buffers = new BufferPool(0),
): AsyncGenerator<ElementBatch> {
  let sequence = 0;
  let pending: ConversationElement[] = [];
  let pendingBytes = 0;
  const seal = (): ElementBatch => {
    const bytes = new Uint8Array(buffers.take(pendingBytes), 0, pendingBytes);
    const batched: BatchedElement[] = [];
    let at = 0;
    for (const element of pending) {
      // From the input chunks straight into the batch: one copy, no joined element in between.
      for (const part of element.parts) {
        bytes.set(part, at);
        at += part.length;
      }
      batched.push({ index: element.index, file: element.file, offset: element.offset, length: element.length });
    }
    pending = [];
    pendingBytes = 0;
    return { sequence: sequence++, bytes, elements: batched };
  };
  try {
    for await (const element of elements) {
      pending.push(element);
      pendingBytes += element.length;
      if (pendingBytes >= batchBytes) yield seal();
    }
  } catch (error) {
    // A read fault comes after the elements before it: hand those over first.
    if (pending.length > 0) yield seal();
    throw error;
  }
  if (pending.length > 0) yield seal();
}
