// A worker thread of `convert`: converts the batches it is sent, in order, and sends each
// result back with its bytes transferred (not copied).

import { parentPort } from 'node:worker_threads';
import { convertBatch } from './convertBatch';
import type { ElementBatch } from './elementBatch';

const port = parentPort;
if (!port) throw new Error('conversionWorker runs as a worker thread');
port.on('message', (batch: ElementBatch) => {
  const result = convertBatch(batch);
  port.postMessage(result, [result.lines.buffer as ArrayBuffer]);
});
