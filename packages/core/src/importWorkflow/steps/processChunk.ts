// One chunk of the Distributed Map: read the chunk file, normalize each conversation, write them
// (diff-and-delete), keep the chunk's failures, then add its counters to the job exactly once.
//
// Retrying a chunk after a partial run converges: the store's diff turns rewrites of what was
// already committed into no-ops, the failures file is overwritten whole, and the job counts a
// chunk only once (its marker item). Counters are recorded LAST, so a chunk that dies midway is
// not counted and its retry counts everything.

import { objectKeys } from '../../archive/objectKeys';
import { parseUploadKey } from '../upload/uploadKey';
import { normalizeConversation } from '../../conversation/normalizeConversation';
import type { NormalizedConversation } from '../../conversation/normalizedConversation';
import type { JobFailure } from '../job/importJob';
import { recordChunkResult, type ChunkCounts, type ChunkRecordOutcome } from '../job/chunkResultTransaction';
import { indexWrittenConversations } from '../../search/indexWrittenConversations';
import { isCapacityError } from '../../aws/retryBackoff';
import { writeConversations, type ChunkWriteResult } from '../../archive/writeConversations';
import { renewLockQuietly } from './acquireLock';
import type { ChunkFailures, ChunkLine } from './chunkManifest';
import { jobContextOf, logImport, storeContextOf, type ImportContext } from '../importContext';
import type { ChunkEvent } from '../importWorkflowState';
import { putText, readJsonLines, readJsonObject } from './s3JsonObjects';
import type { ChunkAssetPlan } from './chunkAssetPlan';
import { copyChunkAssets, noAssetsCopied, type AssetCopyResult } from './copyChunkAssets';
import { linkConversationFiles } from './linkConversationFiles';
import { StoreThrottled } from './storeThrottled';

export interface ProcessChunkOutput {
  chunk: number;
  /** Conversations processed (skipped duplicates excluded). */
  conversations: number;
  failed: number;
  /** 'recorded', or why the job did not take the counters ('duplicate' on a retry). */
  recorded: 'recorded' | Extract<ChunkRecordOutcome, { recorded: false }>['reason'];
}

export async function processChunk(ctx: ImportContext, event: ChunkEvent): Promise<ProcessChunkOutput> {
  const { importId, userId, chunk } = event;
  const chunkIndex = chunk.chunk;
  // The key is derived, never taken from the item: a chunk can only read its own import's file.
  const key = objectKeys.chunk(importId, chunkIndex);
  if (chunk.key !== key) throw new Error(`chunk ${chunkIndex} of import ${importId} names ${chunk.key}, expected ${key}`);
  await renewLockQuietly(ctx, { importId, userId });

  // The chunk's files first: a transient failure throws and the Map retries the chunk, whose
  // copies are then recognised as already stored.
  const plan = chunk.assets ? await readAssetPlan(ctx, userId, importId, chunkIndex) : null;
  const copied: AssetCopyResult = plan ? await copyChunkAssets(ctx, userId, importId, plan) : noAssetsCopied();

  const skip = new Set(chunk.skip ?? []);
  const conversations: NormalizedConversation[] = [];
  const failures: JobFailure[] = [];
  const indexById = new Map<string, number>();
  for await (const line of readJsonLines<ChunkLine>(ctx.clients.s3, ctx.resources.bucket, key)) {
    if (skip.has(line.index)) continue;
    const result = normalizeConversation(line.conversation, line.index);
    if (!result.ok) {
      failures.push({ index: result.failure.index, conversation_id: result.failure.conversation_id, reason: result.failure.reason });
      continue;
    }
    conversations.push(result.conversation);
    indexById.set(result.conversation.conversation_id, line.index);
  }

  const written = await writeOrThrottle(ctx, userId, importId, conversations);
  for (const failure of written.failures) {
    const index = indexById.get(failure.conversation_id);
    failures.push({ ...(index !== undefined ? { index } : {}), conversation_id: failure.conversation_id, reason: failure.reason });
  }
  const linked = await capacityAsThrottled('file reference writes', () =>
    linkConversationFiles(storeContextOf(ctx), userId, conversations, written.outcomes, new Set(plan?.missing ?? [])),
  );
  if (ctx.indexForSearch !== false) {
    await capacityAsThrottled('search index writes', () => indexWrittenConversations(storeContextOf(ctx), userId, conversations, written.outcomes));
  }
  for (const cleanup of written.cleanup_failures) {
    logImport(ctx, 'obsolete objects left behind', { importId, conversationId: cleanup.conversation_id, reason: cleanup.reason });
  }

  // The full list lives in S3 (the job item only keeps the first ones); Finalize merges them.
  if (failures.length > 0) {
    await putText(ctx.clients.s3, ctx.resources.bucket, objectKeys.chunkFailures(importId, chunkIndex), JSON.stringify(failures satisfies ChunkFailures), 'application/json');
  }

  // Every part counts under the job's names; only the conversations that did not normalize are added here.
  const { objects_deleted: _cleanedUp, ...writeCounts } = written.counts;
  const counts: ChunkCounts = {
    ...writeCounts,
    conversations_failed: written.counts.conversations_failed + (failures.length - written.failures.length),
    ...copied.counts,
    assets_missing: linked.assets_missing,
  };
  const outcome = await recordChunkResult(jobContextOf(ctx), { userId, importId }, chunkIndex, { counts, failures, assetProblems: copied.problems });
  if (!outcome.recorded) logImport(ctx, 'chunk result not recorded', { importId, chunk: chunkIndex, reason: outcome.reason });
  return {
    chunk: chunkIndex,
    conversations: conversations.length + (failures.length - written.failures.length),
    failed: failures.length,
    recorded: outcome.recorded ? 'recorded' : outcome.reason,
  };
}

/**
 * The plan Split wrote for this chunk; the archive it names must be an upload of this user (a
 * retry imports the interrupted import's upload under a new import id).
 */
async function readAssetPlan(ctx: ImportContext, userId: string, importId: string, chunkIndex: number): Promise<ChunkAssetPlan | null> {
  const plan = await readJsonObject<ChunkAssetPlan>(ctx.clients.s3, ctx.resources.bucket, objectKeys.chunkAssets(importId, chunkIndex));
  if (plan) {
    const upload = parseUploadKey(plan.archiveKey);
    if (!upload.ok || upload.userId !== userId) {
      throw new Error(`the asset plan of chunk ${chunkIndex} of import ${importId} names ${plan.archiveKey}, not an upload of user ${userId}`);
    }
  }
  return plan;
}

/**
 * The archive's writes. Conversations whose writes stayed throttled fail alone in the result;
 * they too mean the table's capacity, not the data, so the chunk goes back to the workflow.
 */
async function writeOrThrottle(
  ctx: ImportContext,
  userId: string,
  importId: string,
  conversations: NormalizedConversation[],
): Promise<ChunkWriteResult> {
  const result = await capacityAsThrottled('writes', () => writeConversations(storeContextOf(ctx), userId, importId, conversations));
  const throttled = result.failures.filter((failure) => failure.throttled);
  if (throttled.length > 0) {
    throw new StoreThrottled(`DynamoDB throttled ${throttled.length} conversation write(s) of the chunk: ${throttled[0]!.reason}`);
  }
  return result;
}

/**
 * The store retries throttling itself; what still fails for throttling is the table's capacity,
 * not the data. Such a chunk is thrown back to the workflow (StoreThrottled, retried there with
 * long waits) instead of counting its conversations as failed — for the archive's writes and
 * for the steps after them (file references, search index) alike.
 */
async function capacityAsThrottled<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isCapacityError(error)) throw new StoreThrottled(`DynamoDB throttled the chunk's ${step}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
