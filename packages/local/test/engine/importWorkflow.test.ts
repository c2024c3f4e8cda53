import { describe, expect, it } from 'vitest';
import { importStateMachineDefinition, importStateNames, type ProcessChunkEvent, type ProcessChunksOutput } from '@threadline/core/importWorkflow/importStateMachine';
import type { ChildExecutionRecord, ResultWriterManifest } from '@threadline/core/importWorkflow/mapRunResultFiles';
import { workflowErrorNames } from '@threadline/core/importWorkflow/workflowErrors';
import { runStateMachine, type TaskHandler } from '../../src/engine/localStateMachine';
import { NamedError } from '../../src/engine/namedError';
import { MemoryObjectStore } from './memoryObjectStore';

// Proves the definition we deploy executes locally end to end, with toy handlers.

const bucket = 'threadline-imports';
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:threadline-${name}`;
const definition = importStateMachineDefinition({
  functions: { acquireLock: arn('acquire-lock'), split: arn('split'), processChunk: arn('process-chunk'), finalize: arn('finalize'), markFailed: arn('mark-failed') },
  bucket,
  maxConcurrency: 2,
  toleratedFailurePercentage: 0,
});
// No sleeps in tests: every retrying state retries at once.
const noRetryWait = Object.fromEntries([importStateNames.acquireLock, importStateNames.split, importStateNames.processChunk, importStateNames.finalize, importStateNames.markFailed].map((name) => [name, 0]));

function toyHandlers(store: MemoryObjectStore, chunkCount: number) {
  const calls = { processChunk: [] as ProcessChunkEvent<{ key: string }>[], finalize: [] as unknown[], markFailed: [] as unknown[], lockAttempts: 0 };
  let failedOnce = false;
  const handlers: Record<string, TaskHandler> = {
    [importStateNames.acquireLock]: async (event: { importId: string }) => {
      if (++calls.lockAttempts === 1) throw new NamedError('ImportLockBusy', 'another import is running');
      return { importId: event.importId, leaseUntil: '2026-12-01T00:15:00.000Z' };
    },
    [importStateNames.split]: async (event: { importId: string }) => {
      const manifestKey = `work/${event.importId}/manifest.jsonl`;
      const lines = Array.from({ length: chunkCount }, (_, i) => JSON.stringify({ key: `work/${event.importId}/chunks/${i}.jsonl` }));
      await store.writeObject(bucket, manifestKey, lines.join('\n') + '\n');
      return { chunks: chunkCount, manifestKey };
    },
    [importStateNames.processChunk]: async (event: ProcessChunkEvent<{ key: string }>) => {
      calls.processChunk.push(event);
      if (event.chunkIndex === 1 && !failedOnce) {
        failedOnce = true;
        throw new NamedError('StoreThrottled', 'ProvisionedThroughputExceededException');
      }
      return { chunk: event.chunkIndex, conversations: 10, failed: 0, recorded: 'recorded' };
    },
    [importStateNames.finalize]: async (event: { processed: ProcessChunksOutput }) => {
      calls.finalize.push(event);
      return { status: 'SUCCEEDED', failedChunks: 0 };
    },
    [importStateNames.markFailed]: async (event: unknown) => {
      calls.markFailed.push(event);
      return { reason: 'failed', recorded: true, lockReleased: true };
    },
  };
  return { handlers, calls };
}

describe('importStateMachineDefinition, executed locally', () => {
  it('locks (after one busy retry), splits, processes 3 chunks (one retried), and finalizes with the ResultWriter details', async () => {
    const store = new MemoryObjectStore();
    const { handlers, calls } = toyHandlers(store, 3);
    const execution = runStateMachine({
      definition,
      taskHandlers: handlers,
      readObject: store.readObject,
      writeObject: store.writeObject,
      input: { importId: 'imp-1', userId: 'u-1' },
      name: 'imp-1',
      retryIntervalOverrides: noRetryWait,
    });
    const output = (await execution.result) as { finalized: unknown; processed: ProcessChunksOutput };
    expect(output.finalized).toEqual({ status: 'SUCCEEDED', failedChunks: 0 });
    expect(calls.lockAttempts).toBe(2);
    expect(calls.markFailed).toEqual([]);

    // 3 chunks, chunk 1 twice (StoreThrottled retried), each with the job context.
    expect(calls.processChunk).toHaveLength(4);
    expect(calls.processChunk.map((event) => event.chunkIndex).sort()).toEqual([0, 1, 1, 2]);
    expect(calls.processChunk[0]).toMatchObject({ importId: 'imp-1', userId: 'u-1', chunk: { key: expect.stringMatching(/^work\/imp-1\/chunks\/\d\.jsonl$/) } });

    const [finalizeEvent] = calls.finalize as { processed: ProcessChunksOutput; split: unknown; lock: unknown }[];
    expect(finalizeEvent.split).toEqual({ chunks: 3, manifestKey: 'work/imp-1/manifest.jsonl' });
    expect(finalizeEvent.lock).toEqual({ importId: 'imp-1', leaseUntil: '2026-12-01T00:15:00.000Z' });
    const { Bucket, Key } = finalizeEvent.processed.ResultWriterDetails;
    expect(Bucket).toBe(bucket);
    expect(Key).toMatch(/^work\/map-runs\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = store.json(Bucket, Key) as ResultWriterManifest;
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const succeeded = store.json(Bucket, manifest.ResultFiles.SUCCEEDED[0]!.Key) as ChildExecutionRecord[];
    expect(succeeded).toHaveLength(3);
    expect(succeeded.every((entry) => entry.Status === 'SUCCEEDED' && JSON.parse(entry.Output!).conversations === 10)).toBe(true);

    const entered = execution.events.filter((event) => event.type === 'StateEntered' && event.executionArn === execution.executionArn).map((event) => event.state?.name);
    expect(entered).toEqual([
      importStateNames.acquireLock,
      importStateNames.checkAcquireLockOutput,
      importStateNames.split,
      importStateNames.checkSplitOutput,
      importStateNames.hasConversations,
      importStateNames.processChunks,
      importStateNames.finalize,
      importStateNames.checkFinalizeOutput,
      importStateNames.succeeded,
    ]);
  });

  it('marks the import failed with "no conversations found" when Split finds none', async () => {
    const store = new MemoryObjectStore();
    const { handlers, calls } = toyHandlers(store, 0);
    const execution = runStateMachine({ definition, taskHandlers: handlers, ...{ readObject: store.readObject, writeObject: store.writeObject }, input: { importId: 'imp-2', userId: 'u-1' }, retryIntervalOverrides: noRetryWait });
    await expect(execution.result).rejects.toMatchObject({ name: 'NoConversationsFound', causeText: expect.stringMatching(/no conversations found/i) });
    expect(calls.markFailed).toEqual([expect.objectContaining({ importId: 'imp-2', error: { Error: 'NoConversationsFound', Cause: expect.any(String) } })]);
    expect(calls.processChunk).toEqual([]);
  });

  it('marks the import failed when a chunk keeps failing (tolerance 0), through the Map Catch', async () => {
    const store = new MemoryObjectStore();
    const { handlers, calls } = toyHandlers(store, 3);
    handlers[importStateNames.processChunk] = async () => {
      throw new NamedError('ChunkCorrupt', 'cannot parse chunk');
    };
    const execution = runStateMachine({ definition, taskHandlers: handlers, readObject: store.readObject, writeObject: store.writeObject, input: { importId: 'imp-3', userId: 'u-1' }, retryIntervalOverrides: noRetryWait });
    await expect(execution.result).rejects.toMatchObject({ name: 'States.ExceedToleratedFailureThreshold' });
    expect(calls.finalize).toEqual([]);
    expect(calls.markFailed).toHaveLength(1);
  });

  // SST's stand-in Lambda (platform/functions/bridge/bridge.go) when no `sst dev` session answers:
  // a successful invocation whose payload is this.
  const sstDevStandIn = { statusCode: '500', body: 'sst dev is not running (worker: 0123456789abcdef0123456789abcdef)' };

  for (const step of [importStateNames.acquireLock, importStateNames.split, importStateNames.finalize] as const) {
    it(`fails the import when ${step} returns sst dev's stand-in result: MarkFailed gets the reason`, async () => {
      const store = new MemoryObjectStore();
      const { handlers, calls } = toyHandlers(store, 2);
      handlers[step] = async () => sstDevStandIn;
      const execution = runStateMachine({ definition, taskHandlers: handlers, readObject: store.readObject, writeObject: store.writeObject, input: { importId: 'imp-4', userId: 'u-1' }, retryIntervalOverrides: noRetryWait });
      await expect(execution.result).rejects.toMatchObject({
        name: workflowErrorNames.stepOutputInvalid,
        causeText: expect.stringContaining(`${step}: the dev session is not running`),
      });
      expect(calls.markFailed).toEqual([
        expect.objectContaining({ importId: 'imp-4', error: { Error: workflowErrorNames.stepOutputInvalid, Cause: expect.stringContaining('the dev session is not running') } }),
      ]);
      // Nothing after the dead step ran on its "result".
      if (step !== importStateNames.finalize) expect(calls.finalize).toEqual([]);
      if (step === importStateNames.acquireLock) expect(calls.processChunk).toEqual([]);
    });
  }

  it("fails a chunk whose ProcessChunk returns sst dev's stand-in result, and records why in the Map results", async () => {
    const store = new MemoryObjectStore();
    const tolerant = importStateMachineDefinition({
      functions: { acquireLock: arn('acquire-lock'), split: arn('split'), processChunk: arn('process-chunk'), finalize: arn('finalize'), markFailed: arn('mark-failed') },
      bucket,
      maxConcurrency: 2,
      toleratedFailurePercentage: 50,
    });
    const { handlers, calls } = toyHandlers(store, 3);
    const processChunk = handlers[importStateNames.processChunk]!;
    handlers[importStateNames.processChunk] = async (event: ProcessChunkEvent<{ key: string }>, context) => (event.chunkIndex === 2 ? sstDevStandIn : processChunk(event, context));
    const execution = runStateMachine({ definition: tolerant, taskHandlers: handlers, readObject: store.readObject, writeObject: store.writeObject, input: { importId: 'imp-5', userId: 'u-1' }, retryIntervalOverrides: noRetryWait });
    await execution.result;
    const [finalizeEvent] = calls.finalize as { processed: ProcessChunksOutput }[];
    const { Bucket, Key } = finalizeEvent.processed.ResultWriterDetails;
    const manifest = store.json(Bucket, Key) as ResultWriterManifest;
    const failed = store.json(Bucket, manifest.ResultFiles.FAILED[0]!.Key) as ChildExecutionRecord[];
    expect(failed).toEqual([
      expect.objectContaining({ Status: 'FAILED', Error: workflowErrorNames.stepOutputInvalid, Cause: expect.stringContaining('ProcessChunk: the dev session is not running') }),
    ]);
    expect(JSON.parse(failed[0]!.Input)).toMatchObject({ chunkIndex: 2 });
  });

  it('fails the import when a step returns some other output than it promises', async () => {
    const store = new MemoryObjectStore();
    const { handlers, calls } = toyHandlers(store, 2);
    handlers[importStateNames.split] = async () => ({ chunks: '2', manifestKey: 'work/imp-6/manifest.jsonl' });
    const execution = runStateMachine({ definition, taskHandlers: handlers, readObject: store.readObject, writeObject: store.writeObject, input: { importId: 'imp-6', userId: 'u-1' }, retryIntervalOverrides: noRetryWait });
    await expect(execution.result).rejects.toMatchObject({
      name: workflowErrorNames.stepOutputInvalid,
      causeText: expect.stringMatching(/^Split returned successfully without the output it promises \(chunks: number, manifestKey: string\)/),
    });
    expect(calls.markFailed).toHaveLength(1);
    expect(calls.processChunk).toEqual([]);
  });
});
