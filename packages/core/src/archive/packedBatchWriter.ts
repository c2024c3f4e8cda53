// The write requests of many conversations packed into shared BatchWriteItems: 25 requests a
// call whoever they belong to, several calls in flight. A conversation of 45 messages alone
// costs 2 calls (25 + 20); packed, a chunk costs ceil(requests / 25). Each conversation still
// learns when ITS requests are all written, so it can commit its META right after them.
//
// Dispatch: a full batch goes out as soon as a slot is free; a partial one only once the
// requests queued in the same turn of the event loop are in (setImmediate), or when a slot frees
// and nothing fuller is waiting — packing never makes a conversation wait for others that are
// not coming.
//
// A batch that fails with anything but throttling (e.g. an item DynamoDB refuses fails the whole
// call) is re-sent one conversation at a time, so only the conversation at fault fails. Throttling
// fails every conversation of the batch: the table is short of capacity, not the data wrong.

import { BATCH_WRITE_LIMIT, writeBatch, type WriteRequest } from '../aws/batchWriteItems';
import { isThrottlingError, RetriesExhaustedError } from '../aws/retryBackoff';
import type { StoreContext } from './storeContext';

export interface PackedBatchWriter {
  /** Resolves once all `requests` are written; rejects when a batch holding one of them failed. */
  write(requests: WriteRequest[]): Promise<void>;
}

/** One caller's requests: settled once, when the last is written or the first fails. */
interface Submission {
  unwritten: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface QueuedRequest {
  request: WriteRequest;
  submission: Submission;
}

export function packedBatchWriter(ctx: StoreContext, tableName: string, batchesInFlight: number): PackedBatchWriter {
  const queue: QueuedRequest[] = [];
  let inFlight = 0;
  let partialFlushScheduled = false;

  const dispatch = (fullOnly: boolean) => {
    while (inFlight < batchesInFlight && queue.length >= (fullOnly ? BATCH_WRITE_LIMIT : 1)) {
      const batch = queue.splice(0, BATCH_WRITE_LIMIT);
      inFlight += 1;
      void send(batch).finally(() => {
        inFlight -= 1;
        dispatch(false);
      });
    }
  };

  const send = async (batch: QueuedRequest[]) => {
    try {
      await writeBatch(ctx, tableName, batch.map((queued) => queued.request));
      for (const queued of batch) written(queued.submission, 1);
    } catch (error) {
      const owners = groupBySubmission(batch);
      if (owners.size === 1 || isThrottlingError(error) || error instanceof RetriesExhaustedError) {
        for (const submission of owners.keys()) failed(submission, error);
        return;
      }
      await Promise.all(
        [...owners].map(async ([submission, requests]) => {
          try {
            await writeBatch(ctx, tableName, requests);
            written(submission, requests.length);
          } catch (ownError) {
            failed(submission, ownError);
          }
        }),
      );
    }
  };

  return {
    write(requests) {
      if (requests.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const submission: Submission = { unwritten: requests.length, settled: false, resolve, reject };
        for (const request of requests) queue.push({ request, submission });
        dispatch(true);
        if (!partialFlushScheduled) {
          partialFlushScheduled = true;
          setImmediate(() => {
            partialFlushScheduled = false;
            dispatch(false);
          });
        }
      });
    },
  };
}

function written(submission: Submission, count: number): void {
  submission.unwritten -= count;
  if (submission.unwritten === 0 && !submission.settled) {
    submission.settled = true;
    submission.resolve();
  }
}

function failed(submission: Submission, error: unknown): void {
  if (submission.settled) return;
  submission.settled = true;
  submission.reject(error);
}

function groupBySubmission(batch: QueuedRequest[]): Map<Submission, WriteRequest[]> {
  const owners = new Map<Submission, WriteRequest[]>();
  for (const { request, submission } of batch) {
    const requests = owners.get(submission);
    if (requests) requests.push(request);
    else owners.set(submission, [request]);
  }
  return owners;
}
