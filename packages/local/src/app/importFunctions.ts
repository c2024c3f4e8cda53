import type { S3Event } from 'aws-lambda';
import { importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import { importHandlers, type ImportHandlerContext } from '@threadline/functions/import/importHandlers';
import type { LambdaStyleContext, TaskHandler } from '../engine/localStateMachine';
import type { ExecutionStatusChangeEnvelope } from './executionStatusChangeEvent';
import { withTestPause, type TestPause } from './testPause';

// The REAL Lambda handlers of packages/functions, built from this system's own context (its
// clients, names, workflow ARN, logger and limits) instead of SST's links: the same factory the
// deployed modules call, so any number of systems can run side by side in one process.

export interface ImportFunctions {
  startImport(event: S3Event, context: LambdaStyleContext): Promise<unknown>;
  /** EventBridge's target on AWS: an execution ended ABORTED, TIMED_OUT or FAILED. */
  reconcileExecution(event: ExecutionStatusChangeEnvelope, context: LambdaStyleContext): Promise<unknown>;
  /** Task handlers by state name, as the engine binds them. */
  taskHandlers: Record<string, TaskHandler>;
}

export function localImportFunctions(context: ImportHandlerContext, testPause?: TestPause): ImportFunctions {
  const handlers = importHandlers(() => context);
  return {
    startImport: (event) => handlers.startImport(event),
    reconcileExecution: (event) => handlers.reconcileExecution(event),
    taskHandlers: withTestPause(
      {
        [importStateNames.acquireLock]: handlers.acquireLock,
        [importStateNames.split]: handlers.split,
        [importStateNames.processChunk]: handlers.processChunk,
        [importStateNames.finalize]: handlers.finalize,
        [importStateNames.markFailed]: handlers.markFailed,
      },
      testPause,
    ),
  };
}

/** The Lambda function names the local definition's Task ARNs carry (and contexts report). */
export function localFunctionArn(namePrefix: string, functionName: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${namePrefix}-${functionName}`;
}
