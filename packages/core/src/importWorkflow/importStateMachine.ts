// The import workflow as an Amazon States Language definition: one pure function whose output
// is both deployed (sst.config.ts → aws.sfn.StateMachine) and executed locally
// (packages/local/src/engine). JSONPath only: aws-local-stepfunctions misexecutes JSONata and
// Assign, so neither may appear anywhere in this object.
//
// Data flow (every Task but AcquireLock and ProcessChunk sees the whole execution state; results are added
// under their own key so nothing upstream is lost):
//   input            { importId, userId, ...whatever start-import adds }
//   AcquireLock   →  $.lock
//   Split         →  $.split        { chunks: number, manifestKey: string, ... }
//   ProcessChunks →  $.processed    { MapRunArn, ResultWriterDetails: { Bucket, Key } }
//   Finalize      →  $.finalized    (the execution's output)
//   any failure   →  $.error        { Error, Cause } then MarkFailed → Failed
//
// A Task that returns successfully is not trusted blindly: a Choice after it checks the output
// has the fields the step promises, so `sst dev`'s stand-in answer fails the step
// (stepOutputChecks.ts).

import type { ResultWriterOutput } from './mapRunResultFiles';
import { outputCheckStates, stepOutputFields } from './stepOutputChecks';
import { lambdaServiceErrors, statesErrorNames, workflowErrorNames } from './workflowErrors';

import { objectKeys } from '../archive/objectKeys';

export const importStateNames = {
  acquireLock: 'AcquireLock',
  checkAcquireLockOutput: 'CheckAcquireLockOutput',
  acquireLockDevSessionDown: 'AcquireLockDevSessionDown',
  acquireLockOutputInvalid: 'AcquireLockOutputInvalid',
  lockWaitExceeded: 'LockWaitExceeded',
  split: 'Split',
  checkSplitOutput: 'CheckSplitOutput',
  splitDevSessionDown: 'SplitDevSessionDown',
  splitOutputInvalid: 'SplitOutputInvalid',
  hasConversations: 'HasConversations',
  noConversations: 'NoConversations',
  processChunks: 'ProcessChunks',
  processChunk: 'ProcessChunk',
  checkProcessChunkOutput: 'CheckProcessChunkOutput',
  chunkProcessed: 'ChunkProcessed',
  processChunkDevSessionDown: 'ProcessChunkDevSessionDown',
  processChunkOutputInvalid: 'ProcessChunkOutputInvalid',
  finalize: 'Finalize',
  checkFinalizeOutput: 'CheckFinalizeOutput',
  finalizeDevSessionDown: 'FinalizeDevSessionDown',
  finalizeOutputInvalid: 'FinalizeOutputInvalid',
  markFailed: 'MarkFailed',
  failed: 'Failed',
  succeeded: 'Succeeded',
} as const;

export type ImportStateName = (typeof importStateNames)[keyof typeof importStateNames];

export interface ImportFunctionArns {
  acquireLock: string;
  split: string;
  processChunk: string;
  finalize: string;
  markFailed: string;
}

export interface ImportStateMachineOptions {
  functions: ImportFunctionArns;
  /** Bucket holding work/<importId>/manifest.jsonl and the Map Run results. */
  bucket: string;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  /** Where ResultWriter puts `<prefix>/<map run id>/manifest.json`; Finalize gets the exact key. */
  resultsPrefix?: string;
}

/** What each ProcessChunk invocation receives (built by the Map's ItemSelector). */
export interface ProcessChunkEvent<Chunk = unknown> {
  importId: string;
  userId: string;
  chunkIndex: number;
  /** One line of manifest.jsonl, parsed. */
  chunk: Chunk;
}

/** What the Map hands to Finalize under $.processed (its ResultWriter's output). */
export type ProcessChunksOutput = ResultWriterOutput;

export const taskTimeoutSeconds = {
  acquireLock: 30,
  // Streams the whole archive in one invocation: the Lambda maximum.
  split: 900,
  // A chunk is sized to finish in well under a minute; the slack absorbs DynamoDB throttling.
  processChunk: 300,
  finalize: 300,
  markFailed: 60,
} as const;

// AWS's recommended retrier for Lambda-backed Tasks: transient service faults, not our errors.
const retryLambdaServiceErrors = {
  ErrorEquals: [...lambdaServiceErrors],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: 'FULL',
};

// Waiting for another import of the same user to release its lock: 10 s growing ×1.5 up to a
// 120 s cap, 12 attempts ≈ 15.4 min in total (10+15+22.5+33.8+50.6+75.9+113.9+5×120).
// No jitter: contention is per user (one or two imports), and a deterministic bound is what
// the "gave up waiting" message promises.
export const lockRetry = {
  ErrorEquals: [workflowErrorNames.lockBusy],
  IntervalSeconds: 10,
  BackoffRate: 1.5,
  MaxDelaySeconds: 120,
  MaxAttempts: 12,
  JitterStrategy: 'NONE',
} as const;

const catchAllToMarkFailed = [{ ErrorEquals: [statesErrorNames.all], ResultPath: '$.error', Next: importStateNames.markFailed }];

export function importStateMachineDefinition(options: ImportStateMachineOptions): Record<string, unknown> {
  const { functions, bucket, maxConcurrency, toleratedFailurePercentage } = options;
  const resultsPrefix = options.resultsPrefix ?? objectKeys.mapRunsPrefix;
  const names = importStateNames;

  return {
    Comment: 'Threadline: import one ChatGPT export (lock, split into chunks, process chunks, finalize).',
    StartAt: names.acquireLock,
    States: {
      [names.acquireLock]: {
        Type: 'Task',
        Resource: functions.acquireLock,
        TimeoutSeconds: taskTimeoutSeconds.acquireLock,
        // The state machine's own ARN names the lock holder's execution (executions are named
        // after imports), so AcquireLock can tell a live holder from a dead one.
        Parameters: { 'importId.$': '$.importId', 'userId.$': '$.userId', 'workflowArn.$': '$$.StateMachine.Id' },
        ResultPath: '$.lock',
        Retry: [lockRetry, retryLambdaServiceErrors],
        Catch: [
          {
            ErrorEquals: [workflowErrorNames.lockBusy],
            ResultPath: '$.error',
            Next: names.lockWaitExceeded,
          },
          ...catchAllToMarkFailed,
        ],
        Next: names.checkAcquireLockOutput,
      },
      ...outputCheckStates({
        step: names.acquireLock,
        names: { check: names.checkAcquireLockOutput, devSessionDown: names.acquireLockDevSessionDown, invalid: names.acquireLockOutputInvalid },
        resultPath: '$.lock',
        fields: stepOutputFields.acquireLock,
        next: names.split,
        onFailure: { next: names.markFailed },
      }),
      // Replaces the lock-busy error with a message a user can act on.
      [names.lockWaitExceeded]: {
        Type: 'Pass',
        Result: {
          Error: workflowErrorNames.lockBusy,
          Cause: 'Another import of this account was still running after waiting about 15 minutes; try again later.',
        },
        ResultPath: '$.error',
        Next: names.markFailed,
      },
      [names.split]: {
        Type: 'Task',
        Resource: functions.split,
        TimeoutSeconds: taskTimeoutSeconds.split,
        ResultPath: '$.split',
        Retry: [retryLambdaServiceErrors],
        Catch: catchAllToMarkFailed,
        Next: names.checkSplitOutput,
      },
      ...outputCheckStates({
        step: names.split,
        names: { check: names.checkSplitOutput, devSessionDown: names.splitDevSessionDown, invalid: names.splitOutputInvalid },
        resultPath: '$.split',
        fields: stepOutputFields.split,
        next: names.hasConversations,
        onFailure: { next: names.markFailed },
      }),
      [names.hasConversations]: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.split.chunks', IsNumeric: true },
              { Variable: '$.split.chunks', NumericGreaterThan: 0 },
            ],
            Next: names.processChunks,
          },
        ],
        Default: names.noConversations,
      },
      [names.noConversations]: {
        Type: 'Pass',
        Result: {
          Error: workflowErrorNames.noConversations,
          Cause: 'No conversations found in the uploaded export.',
        },
        ResultPath: '$.error',
        Next: names.markFailed,
      },
      [names.processChunks]: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: bucket, 'Key.$': '$.split.manifestKey' },
        },
        // One manifest line = one chunk = one child execution: chunks are already sized by
        // Split, so no ItemBatcher.
        ItemSelector: {
          'importId.$': '$.importId',
          'userId.$': '$.userId',
          'chunkIndex.$': '$$.Map.Item.Index',
          'chunk.$': '$$.Map.Item.Value',
        },
        ItemProcessor: {
          // STANDARD children, not EXPRESS. EXPRESS is cheaper per child but hard-capped at
          // 5 minutes including retries, and at-least-once. A chunk runs ~seconds, but a
          // throttled DynamoDB table backs off for minutes (StoreThrottled retries below,
          // TimeoutSeconds 300 on the Task), which would blow the cap and fail the chunk for
          // no fault of its own. STANDARD costs a handful of transitions per chunk (cents per
          // import) and gives exactly-once children with their own history for debugging.
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: names.processChunk,
          States: {
            // No Catch here on purpose: a failed child must count against
            // ToleratedFailurePercentage; the Map's own Catch handles the run failing.
            [names.processChunk]: {
              Type: 'Task',
              Resource: functions.processChunk,
              TimeoutSeconds: taskTimeoutSeconds.processChunk,
              Retry: [
                {
                  ErrorEquals: [...lambdaServiceErrors, workflowErrorNames.storeThrottled],
                  IntervalSeconds: 2,
                  MaxAttempts: 6,
                  BackoffRate: 2,
                  MaxDelaySeconds: 60,
                  JitterStrategy: 'FULL',
                },
                // The handler is idempotent per chunk (diff-and-delete), so one retry of a
                // timeout is safe; a second timeout means the chunk itself is the problem.
                { ErrorEquals: [statesErrorNames.timeout], MaxAttempts: 1, IntervalSeconds: 5 },
              ],
              Next: names.checkProcessChunkOutput,
            },
            // A wrong output fails the child (Fail states), so it counts like a thrown error.
            ...outputCheckStates({
              step: names.processChunk,
              names: { check: names.checkProcessChunkOutput, devSessionDown: names.processChunkDevSessionDown, invalid: names.processChunkOutputInvalid },
              resultPath: '$',
              fields: stepOutputFields.processChunk,
              next: names.chunkProcessed,
              onFailure: 'fail',
            }),
            [names.chunkProcessed]: { Type: 'Succeed' },
          },
        },
        MaxConcurrency: maxConcurrency,
        ToleratedFailurePercentage: toleratedFailurePercentage,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: bucket, Prefix: resultsPrefix },
        },
        ResultPath: '$.processed',
        Catch: catchAllToMarkFailed,
        Next: names.finalize,
      },
      [names.finalize]: {
        Type: 'Task',
        Resource: functions.finalize,
        TimeoutSeconds: taskTimeoutSeconds.finalize,
        ResultPath: '$.finalized',
        Retry: [retryLambdaServiceErrors],
        Catch: catchAllToMarkFailed,
        Next: names.checkFinalizeOutput,
      },
      ...outputCheckStates({
        step: names.finalize,
        names: { check: names.checkFinalizeOutput, devSessionDown: names.finalizeDevSessionDown, invalid: names.finalizeOutputInvalid },
        resultPath: '$.finalized',
        fields: stepOutputFields.finalize,
        next: names.succeeded,
        onFailure: { next: names.markFailed },
      }),
      [names.succeeded]: { Type: 'Succeed' },
      // Records the failure on the job and releases the lock; its own failure fails the run.
      [names.markFailed]: {
        Type: 'Task',
        Resource: functions.markFailed,
        TimeoutSeconds: taskTimeoutSeconds.markFailed,
        ResultPath: '$.markFailed',
        Retry: [retryLambdaServiceErrors],
        Next: names.failed,
      },
      [names.failed]: {
        Type: 'Fail',
        ErrorPath: '$.error.Error',
        CausePath: '$.error.Cause',
      },
    },
  };
}
