import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { runStateMachine, type TaskHandler } from '../engine/localStateMachine';
import type { ExecutionRunner } from '../stepFunctions/executionRegistry';
import { historyEventsOf } from './historyEvents';

export interface ImportWorkflowRunnerOptions {
  definition: object;
  /** The REAL Lambda handlers, by Task state name. */
  taskHandlers: Record<string, TaskHandler>;
  s3: S3Client;
  stateMachineName: string;
  /** Milliseconds between retries by state name (tests: no real sleeps). */
  retryIntervalOverrides?: Record<string, number | number[]>;
}

/**
 * What the local Step Functions endpoint runs for each StartExecution of the import workflow:
 * the engine, with the Map's ItemReader/ResultWriter going to the real (local) S3, and every
 * engine event reported to the registry as an AWS history event.
 */
export function importWorkflowRunner(options: ImportWorkflowRunnerOptions): ExecutionRunner {
  const readObject = async (bucket: string, key: string) => {
    const { Body } = await options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Body ? Body.transformToString('utf8') : '';
  };
  const writeObject = async (bucket: string, key: string, body: string) => {
    await options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
  };

  return async ({ executionArn, name, input, report, signal }) => {
    const execution = runStateMachine({
      definition: options.definition,
      taskHandlers: options.taskHandlers,
      readObject,
      writeObject,
      input,
      name,
      stateMachineName: options.stateMachineName,
      retryIntervalOverrides: options.retryIntervalOverrides,
      onEvent: (event) => {
        for (const historyEvent of historyEventsOf(event, executionArn)) report(historyEvent);
      },
    });
    if (execution.executionArn !== executionArn) {
      execution.abort();
      throw new Error(`engine named the execution ${execution.executionArn}, the endpoint ${executionArn}`);
    }
    const abort = () => execution.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await execution.result;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  };
}
