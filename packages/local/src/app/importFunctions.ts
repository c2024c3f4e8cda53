import type { S3Event } from 'aws-lambda';
import { importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import type { LambdaStyleContext, TaskHandler } from '../engine/localStateMachine';
import type { ExecutionStatusChangeEnvelope } from './executionStatusChangeEvent';
import { withTestPause } from './testPause';

// The REAL Lambda handlers of packages/functions, loaded for the local system. They are imported
// only once the environment points at the local parts: a handler may read its configuration
// (SST `Resource`, AWS clients) when its module loads, as it would in a fresh Lambda container.

export interface ImportFunctions {
  startImport(event: S3Event, context: LambdaStyleContext): Promise<unknown>;
  /** EventBridge's target on AWS: an execution ended ABORTED, TIMED_OUT or FAILED. */
  reconcileExecution(event: ExecutionStatusChangeEnvelope, context: LambdaStyleContext): Promise<unknown>;
  /** Task handlers by state name, as the engine binds them. */
  taskHandlers: Record<string, TaskHandler>;
}

export async function loadImportFunctions(): Promise<ImportFunctions> {
  const [startImport, reconcileExecution, acquireLock, split, processChunk, finalize, markFailed] = await Promise.all([
    import('@threadline/functions/import/startImport'),
    import('@threadline/functions/import/reconcileExecution'),
    import('@threadline/functions/import/acquireLock'),
    import('@threadline/functions/import/split'),
    import('@threadline/functions/import/processChunk'),
    import('@threadline/functions/import/finalize'),
    import('@threadline/functions/import/markFailed'),
  ]);
  const asTask = (handler: unknown) => handler as TaskHandler;
  return {
    startImport: (event, context) => Promise.resolve((startImport.handler as TaskHandler)(event, context)),
    reconcileExecution: (event, context) => Promise.resolve((reconcileExecution.handler as TaskHandler)(event, context)),
    taskHandlers: withTestPause({
      [importStateNames.acquireLock]: asTask(acquireLock.handler),
      [importStateNames.split]: asTask(split.handler),
      [importStateNames.processChunk]: asTask(processChunk.handler),
      [importStateNames.finalize]: asTask(finalize.handler),
      [importStateNames.markFailed]: asTask(markFailed.handler),
    }),
  };
}

/** The Lambda function names the local definition's Task ARNs carry (and contexts report). */
export function localFunctionArn(namePrefix: string, functionName: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${namePrefix}-${functionName}`;
}
