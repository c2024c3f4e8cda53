// Runs convertBatch over an export's elements on worker threads (and the calling thread) and
// hands the results back in export order. The calling thread reads (inflate, boundary scan)
// and writes; it keeps reading ahead while the workers parse, normalize and serialize, within
// a bounded window so memory stays flat however large the export.

import { Worker } from 'node:worker_threads';
import type { ConversationElement } from '@threadline/core/chatgptExport/openExport';
import { BufferPool } from './bufferPool';
import { type BatchResult, convertBatch, lineCapacity } from './convertBatch';
import { type ElementBatch, elementBatches } from './elementBatch';

export interface ConversionOptions {
  /** Worker threads; with 0 everything is converted on the calling thread. */
  workers: number;
  /** Batches a worker may hold (converting or queued) before the calling thread converts one itself (default 2). */
  batchesPerWorker?: number;
  batchBytes?: number;
  /**
   * Where batch and line buffers come from and go back to. The consumer gives each result's
   * `lines.buffer` back once it has written them; without a pool every buffer is new.
   */
  buffers?: BufferPool;
}

/** To a worker: a batch, and maybe a spent lines buffer to write its lines into. */
export interface BatchRequest {
  batch: ElementBatch;
  spareLines?: ArrayBuffer;
}

/** From a worker: the result, and the batch's buffer handed back for reuse. */
export interface BatchResponse {
  result: BatchResult;
  spentInput: ArrayBuffer;
}

interface PendingResult {
  promise: Promise<BatchResult>;
  settled: boolean;
}

/**
 * Batch results in export order. Batches go to the workers; when every worker already holds
 * its share, the calling thread converts the batch itself, so N workers plus the calling thread
 * keep N + 1 cores busy without an (N+1)th worker's memory. A read fault of `elements` is thrown
 * after the results of every element before it. Stopping early (break) terminates the workers.
 */
export async function* convertInOrder(elements: AsyncIterable<ConversationElement>, options: ConversionOptions): AsyncGenerator<BatchResult> {
  const buffers = options.buffers ?? new BufferPool(0);
  const batches = elementBatches(elements, options.batchBytes, buffers);
  const convertHere = (batch: ElementBatch): BatchResult => {
    const result = convertBatch(batch, buffers.takeSpent(lineCapacity(batch)));
    buffers.give(batch.bytes.buffer as ArrayBuffer);
    return result;
  };
  if (options.workers <= 0) {
    for await (const batch of batches) yield convertHere(batch);
    return;
  }
  const perWorker = options.batchesPerWorker ?? 2;
  const pool = new ConversionPool(options.workers, buffers);
  // Results are written in order: a slow batch holds back at most this many behind it.
  const window = options.workers * perWorker + 2;
  const pending: PendingResult[] = [];
  try {
    let readFault: { error: unknown } | undefined;
    try {
      for await (const batch of batches) {
        const promise = pool.hasRoom(perWorker) ? pool.convert(batch) : Promise.resolve(convertHere(batch));
        const entry: PendingResult = { promise, settled: false };
        promise.then(
          () => (entry.settled = true),
          () => (entry.settled = true),
        );
        pending.push(entry);
        while (pending.length > 0 && (pending[0].settled || pending.length >= window)) yield await pending.shift()!.promise;
      }
    } catch (error) {
      readFault = { error };
    }
    while (pending.length > 0) yield await pending.shift()!.promise;
    if (readFault) throw readFault.error;
  } finally {
    await pool.close();
  }
}

/** Worker threads, each converting the batches it is given in the order given. */
class ConversionPool {
  private readonly workers: { worker: Worker; queue: { resolve: (result: BatchResult) => void; reject: (error: unknown) => void }[] }[];

  constructor(
    size: number,
    private readonly buffers: BufferPool,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./conversionWorker.mjs', import.meta.url));
      const entry = { worker, queue: [] as { resolve: (result: BatchResult) => void; reject: (error: unknown) => void }[] };
      worker.on('message', ({ result, spentInput }: BatchResponse) => {
        buffers.give(spentInput);
        entry.queue.shift()?.resolve(result);
      });
      worker.on('error', (error) => {
        for (const waiting of entry.queue.splice(0)) waiting.reject(error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`a conversion worker stopped (exit code ${code})`);
        for (const waiting of entry.queue.splice(0)) waiting.reject(error);
      });
      return entry;
    });
  }

  /** Whether some worker holds fewer than `perWorker` batches. */
  hasRoom(perWorker: number): boolean {
    return this.workers.some((entry) => entry.queue.length < perWorker);
  }

  /** Converts on the least busy worker. */
  convert(batch: ElementBatch): Promise<BatchResult> {
    const entry = this.workers.reduce((least, candidate) => (candidate.queue.length < least.queue.length ? candidate : least));
    const result = new Promise<BatchResult>((resolve, reject) => entry.queue.push({ resolve, reject }));
    // A result nobody awaits any more (the consumer stopped early) must not be an unhandled rejection.
    result.catch(() => {});
    const spareLines = this.buffers.takeSpent(lineCapacity(batch));
    const request: BatchRequest = { batch, spareLines };
    entry.worker.postMessage(request, spareLines ? [batch.bytes.buffer as ArrayBuffer, spareLines] : [batch.bytes.buffer as ArrayBuffer]);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
