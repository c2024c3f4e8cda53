import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '@threadline/core/chatgptExport/fileSource';
import { openExport } from '@threadline/core/chatgptExport/openExport';
import { generateExport } from '@threadline/generator/generateExport';
import { BufferPool } from '../../src/convert/bufferPool';
import { convertInOrder } from '../../src/convert/orderedConversion';

/** Counts how often a spent buffer was handed out again. */
class CountingPool extends BufferPool {
  reused = 0;
  private readonly spent = new Set<ArrayBuffer>();
  override give(buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0) this.spent.add(buffer);
    super.give(buffer);
  }
  override take(bytes: number): ArrayBuffer {
    return this.counted(super.take(bytes));
  }
  override takeSpent(bytes: number): ArrayBuffer | undefined {
    const buffer = super.takeSpent(bytes);
    return buffer && this.counted(buffer);
  }
  private counted(buffer: ArrayBuffer): ArrayBuffer {
    if (this.spent.delete(buffer)) this.reused += 1;
    return buffer;
  }
}

describe('convertInOrder with buffers that go round', () => {
  it('writes the same lines when batch and line buffers are reused, on a worker and on the calling thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'threadline-ordered-'));
    const zip = join(dir, 'export.zip');
    await generateExport({ conversations: 150, shards: 2, seed: 5, out: zip });

    const linesOf = async (options: Parameters<typeof convertInOrder>[1], giveBack: boolean): Promise<Buffer> => {
      const opened = await openExport(fileSource(zip));
      const copies: Buffer[] = [];
      for await (const result of convertInOrder(opened.conversationElements(), options)) {
        copies.push(Buffer.from(result.lines)); // a copy: the buffer is overwritten once given back
        if (giveBack) options.buffers?.give(result.lines.buffer as ArrayBuffer);
      }
      return Buffer.concat(copies);
    };

    const fresh = await linesOf({ workers: 0, batchBytes: 8 * 1024 }, false);
    expect(fresh.toString('utf8').split('\n').filter(Boolean)).toHaveLength(150);
    for (const workers of [0, 1]) {
      const buffers = new CountingPool();
      // Small batches, so many go round, and stale bytes of a longer earlier batch would show.
      const reused = await linesOf({ workers, batchBytes: 8 * 1024, buffers }, true);
      expect(reused.equals(fresh)).toBe(true);
      expect(buffers.reused).toBeGreaterThan(10);
    }
  });
});
