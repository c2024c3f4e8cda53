// The data the import workflow carries between states (see workflow/importStateMachine.ts: every
// Task but ProcessChunk receives the whole execution state, results are added under their key).

import type { ProcessChunkEvent, ProcessChunksOutput } from './importStateMachine';
import type { ChunkManifestLine } from './steps/chunkManifest';

/** The execution input, as start-import builds it. */
export interface ImportExecutionInput {
  importId: string;
  userId: string;
  /** Where the uploaded export is. */
  bucket: string;
  key: string;
}

/** What AcquireLock receives (its Parameters): the import, and the state machine it runs in. */
export interface AcquireLockInput extends Pick<ImportExecutionInput, 'importId' | 'userId'> {
  /** `$$.StateMachine.Id`: the holder of a busy lock is the execution named after its import. */
  workflowArn?: string;
}

/** `$.split`: read by the HasConversations choice and by the Map's ItemReader. */
export interface SplitOutput {
  chunks: number;
  manifestKey: string;
  conversations: number;
  duplicates: number;
  missingShards: number;
}

/** `$.error`, as a Catch (or a Pass that replaces it) leaves it. */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

/** What Finalize receives. */
export interface FinalizeInput extends ImportExecutionInput {
  split?: SplitOutput;
  processed?: ProcessChunksOutput;
}

/** What MarkFailed receives. */
export interface MarkFailedInput extends Partial<FinalizeInput> {
  importId: string;
  userId: string;
  error?: CaughtError;
}

export type ChunkEvent = ProcessChunkEvent<ChunkManifestLine>;
