// Counts the write calls the store makes, via an SDK middleware on the clients it is given, so
// a test (or a benchmark) can prove that a re-import wrote nothing. Reads are not counted.

import type { AwsClients } from '@threadline/core/aws/awsClients';

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'PutObjectCommand',
  'DeleteObjectCommand',
  'DeleteObjectsCommand',
  'CopyObjectCommand',
  'CreateMultipartUploadCommand',
  'UploadPartCommand',
  'CompleteMultipartUploadCommand',
]);

export interface WriteCallCounter {
  /** Write calls seen since the start (or the last reset), by SDK command name. */
  readonly calls: Record<string, number>;
  total(): number;
  reset(): void;
  /** Removes the middleware from the clients. */
  stop(): void;
}

let counterSerial = 0;

export function countWriteCalls(clients: Pick<AwsClients, 'dynamo' | 's3'>): WriteCallCounter {
  const calls: Record<string, number> = {};
  const name = `threadlineWriteCallCounter${(counterSerial += 1)}`;
  const count = (command: string | undefined) => {
    if (command && writeCommands.has(command)) calls[command] = (calls[command] ?? 0) + 1;
  };
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      count(context.commandName);
      return next(args);
    },
    { step: 'initialize', name },
  );
  clients.s3.middlewareStack.add(
    (next, context) => async (args) => {
      count(context.commandName);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    calls,
    total: () => Object.values(calls).reduce((sum, count) => sum + count, 0),
    reset: () => {
      for (const key of Object.keys(calls)) delete calls[key];
    },
    stop: () => {
      clients.dynamo.middlewareStack.remove(name);
      clients.s3.middlewareStack.remove(name);
    },
  };
}
