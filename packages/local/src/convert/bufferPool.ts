// Spent batch and line buffers of `convert`, kept for the next batch instead of freed. A fresh
// ArrayBuffer of a megabyte or more is zero-filled memory from the kernel (page faults) and
// external memory the GC counts: allocating one per batch made the command's thread spend a
// tenth of its time in mark-compacts. A handful of buffers go round instead.

/** Buffers are rounded up to this, so a slightly larger batch still fits a spent one. */
const GRANULE_BYTES = 256 * 1024;

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** @param keep how many spent buffers to hold at most (the rest are left to the GC). */
  constructor(private readonly keep = 8) {}

  /** A buffer of at least `bytes` (its content is whatever it held before). */
  take(bytes: number): ArrayBuffer {
    const at = this.free.findIndex((buffer) => buffer.byteLength >= bytes);
    if (at >= 0) return this.free.splice(at, 1)[0];
    return new ArrayBuffer(Math.ceil(bytes / GRANULE_BYTES) * GRANULE_BYTES);
  }

  /** A spent one, or undefined: for a worker that may get a buffer to reuse. */
  takeSpent(bytes: number): ArrayBuffer | undefined {
    const at = this.free.findIndex((buffer) => buffer.byteLength >= bytes);
    return at >= 0 ? this.free.splice(at, 1)[0] : undefined;
  }

  /** Hands back a buffer nobody reads any more (a detached one, transferred away, is ignored). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.free.length >= this.keep) return;
    this.free.push(buffer);
  }
}
