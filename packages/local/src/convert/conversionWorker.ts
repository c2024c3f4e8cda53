// A worker thread of `convert`: converts the batches it is sent, in order, and sends each
// result back with its bytes transferred (not copied), and the batch's own buffer with it for
// reuse (see bufferPool).

import { parentPort } from 'node:worker_threads';
import { convertBatch } from './convertBatch';
import type { BatchRequest, BatchResponse } from './orderedConversion';

const port = parentPort;
if (!port) throw new Error('conversionWorker runs as a worker thread');
port.on('message', ({ batch, spareLines }: BatchRequest) => {
  const result = convertBatch(batch, spareLines);
  const spentInput = batch.bytes.buffer as ArrayBuffer;
  const response: BatchResponse = { result, spentInput };
  port.postMessage(response, [result.lines.buffer as ArrayBuffer, spentInput]);
});
