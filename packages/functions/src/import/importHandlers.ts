// Every import Lambda's handler, built from a context factory: on AWS the SST-linked context
// (linkedImportContext), in the local system its own (its clients, names, logger and limits).
// The factory runs on the first invocation and its context is kept, once per container.

import type { Context, EventBridgeEvent, S3Event } from 'aws-lambda';
import type { ImportContext } from '@threadline/core/importWorkflow/importContext';
import type { ExecutionStatusChangeDetail } from '@threadline/core/importWorkflow/executionStatusChangeEvent';
import type {
  AcquireLockInput,
  ChunkEvent,
  FinalizeInput,
  ImportExecutionInput,
  MarkFailedInput,
} from '@threadline/core/importWorkflow/importWorkflowState';
import { acquireLock } from '@threadline/core/importWorkflow/steps/acquireLock';
import { defaultChunkLimits, type ChunkLimits } from '@threadline/core/importWorkflow/steps/chunkWriter';
import { reconcileExecutionStatusChange } from '@threadline/core/importWorkflow/steps/executionStatusChange';
import { finalizeImport } from '@threadline/core/importWorkflow/steps/finalizeImport';
import { markImportFailed } from '@threadline/core/importWorkflow/steps/markImportFailed';
import { processChunk } from '@threadline/core/importWorkflow/steps/processChunk';
import { splitArchive } from '@threadline/core/importWorkflow/steps/splitArchive';
import { startImport } from '@threadline/core/importWorkflow/steps/startImport';

export interface ImportHandlerContext extends ImportContext {
  /** The import workflow's state machine ARN: start-import starts it, the reconcile function matches events against it. */
  readonly workflowArn: string;
  /** Conversations and bytes per chunk (default 250 / 16 MB); tests lower it to get many chunks from small exports. */
  chunkLimits?: ChunkLimits;
  /** What Finalize keeps of its remaining time once the layout migration stops (default 60 s); tests raise it to exhaust the budget. */
  layoutMigrationReserveMs?: number;
}

export function importHandlers(contextOf: () => ImportHandlerContext) {
  let context: ImportHandlerContext | undefined;
  const ctx = () => (context ??= contextOf());
  return {
    /** S3 ObjectCreated under imports/: bad keys are logged and dropped (no retry storm). */
    startImport: async (event: S3Event) => startImport(ctx(), event.Records ?? [], { workflowArn: ctx().workflowArn }),
    /** AcquireLock: its Parameters → `$.lock`; throws ImportLockBusy while a live import holds the lock (retried by the definition). */
    acquireLock: async (event: AcquireLockInput) => acquireLock(ctx(), event),
    /** Split: execution state → `$.split` ({ chunks, manifestKey, … }); throws UnreadableExport. */
    split: async (event: ImportExecutionInput) => splitArchive(ctx(), event, { chunkLimits: ctx().chunkLimits ?? defaultChunkLimits }),
    /** One Distributed Map item (ItemSelector: importId, userId, chunkIndex, chunk); throws StoreThrottled. */
    processChunk: async (event: ChunkEvent) => processChunk(ctx(), event),
    /** Finalize: execution state (with `$.processed` from the Map) → `$.finalized`; migrates the user's layout within the invocation's remaining time. */
    finalize: async (event: FinalizeInput, invocation?: Pick<Context, 'getRemainingTimeInMillis'>) =>
      finalizeImport(ctx(), event, {
        ...(invocation ? { timeLeftMs: () => invocation.getRemainingTimeInMillis() } : {}),
        ...(ctx().layoutMigrationReserveMs !== undefined ? { migrationReserveMs: ctx().layoutMigrationReserveMs } : {}),
      }),
    /** MarkFailed: execution state with `$.error` ({ Error, Cause }) → `$.markFailed`. */
    markFailed: async (event: MarkFailedInput) => markImportFailed(ctx(), event),
    /** EventBridge: an import execution ended ABORTED, TIMED_OUT or FAILED → its job FAILED with the reason, its lock released. */
    reconcileExecution: async (event: EventBridgeEvent<string, ExecutionStatusChangeDetail>) =>
      reconcileExecutionStatusChange(ctx(), event, { workflowArn: ctx().workflowArn }),
  };
}

export type ImportHandlers = ReturnType<typeof importHandlers>;
