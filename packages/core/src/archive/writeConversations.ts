// Writes one chunk of normalized conversations for a user. Per conversation:
//   read META (batched) → verdict → for changed ones read stored page keys+hashes → put
//   offloaded objects → put new/changed message pages, delete pages past the end → commit META
//   (conditional) → delete layout-1 items and objects the committed version no longer references.
// META is written last, so it is the commit marker: a crash at any point leaves the old META (or
// none), the retry sees a different content_hash, re-diffs against what was written, and
// converges. One conversation failing never stops the others.
//
// New conversations (no META at BatchGet time, the whole of a first import) skip the read of
// their stored pages: all their pages are put. The page writes of the whole chunk, new
// and changed conversations alike, share packed 25-request BatchWriteItems (packedBatchWriter),
// and each META is committed as soon as its own messages are written.
// Skipping that read means a crashed earlier attempt may have left pages beyond the end of the
// thread finally committed ("orphans"). The META is therefore the single source of truth:
// readers show only positions < META.message_count (listMessages), deletes remove every item of
// the partition (orphans too), and the next changed import — META present, so its pages are
// read — deletes the orphans as pages past the end. Until then they cost storage, never correctness.

import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedConversation } from '../conversation/normalizedConversation';
import { batchGetItems } from '../aws/batchGetItems';
import { deleteRequest, putRequest } from '../aws/batchWriteItems';
import type { ConversationMetaItem, ItemOwner } from './conversationItems';
import { assertConversationId, assertUserId, conversationsTableAttributes, META_SK, metaKey } from './conversationKeys';
import { deleteUnreferencedObjects, putOffloadedObjects } from './offloadedObjects';
import { offloadMetaItem, offloadPageItem, referencedKeys } from './offloadLargeFields';
import { packedBatchWriter, type PackedBatchWriter } from './packedBatchWriter';
import { storedPage } from './storedPage';
import { conversationVerdict, planDiff, storedIsNewer, type DiffVerdict, type StoredMetaState } from './planDiff';
import { defaultRetryBackoff, isCapacityError, withThrottleRetry } from '../aws/retryBackoff';
import { storedThreadState, type StoredThreadState } from './storedThreadState';
import { emptyChunkWriteCounts, type ChunkWriteCounts } from './chunkWriteCounts';
import type { StoreContext } from './storeContext';

const { partitionKey } = conversationsTableAttributes;

export interface ConversationWriteFailure {
  conversation_id: string;
  reason: string;
  /** The table's capacity was exhausted (isCapacityError): retry later, the data is fine. */
  throttled: boolean;
}

export interface ChunkWriteResult {
  counts: ChunkWriteCounts;
  /** Conversations not written (counted in `conversations_failed`); a retry of the chunk may succeed. */
  failures: ConversationWriteFailure[];
  /**
   * Conversations committed whose obsolete objects could not be deleted (not counted as failed:
   * the archive is correct, the objects are only orphans that the next change or delete removes).
   */
  cleanup_failures: ConversationWriteFailure[];
  /** The verdict of every conversation of the chunk, in input order. */
  outcomes: { conversation_id: string; verdict: DiffVerdict | 'failed' }[];
}

/** What the writer reads of a stored META: never the (possibly large) texts. */
const storedMetaAttributes = [conversationsTableAttributes.partitionKey, 'content_hash', 'update_time', 'messages_dirty', 'message_count', 'layout', 'transcript_ref', 'raw_text_ref'];
type StoredMeta = StoredMetaState & Pick<ConversationMetaItem, 'pk' | 'transcript_ref' | 'raw_text_ref'>;

/** Changed conversations whose stored pages are read at once. */
const DEFAULT_CONCURRENCY = 8;
/** BatchWriteItem calls in flight per chunk (measured with packages/local/bench/importScenario.ts). */
const DEFAULT_BATCH_WRITES_IN_FLIGHT = 8;

export async function writeConversations(
  ctx: StoreContext,
  userId: string,
  importId: string,
  conversations: NormalizedConversation[],
): Promise<ChunkWriteResult> {
  assertUserId(userId);
  const owner: ItemOwner = { userId, importId, storedAt: (ctx.now?.() ?? new Date()).toISOString() };
  const counts = emptyChunkWriteCounts();
  const failures: ConversationWriteFailure[] = [];
  const cleanupFailures: ConversationWriteFailure[] = [];
  const verdicts = new Map<NormalizedConversation, DiffVerdict | 'failed'>();

  // A chunk should not repeat an id, but if it does only the newest copy is written (two
  // concurrent writes of one partition would race each other).
  const newestById = new Map<string, NormalizedConversation>();
  for (const conversation of conversations) {
    try {
      assertConversationId(conversation.conversation_id);
    } catch (error) {
      verdicts.set(conversation, 'failed');
      failures.push({ conversation_id: String(conversation.conversation_id), reason: reasonOf(error), throttled: false });
      continue;
    }
    const seen = newestById.get(conversation.conversation_id);
    if (seen && !storedIsNewer(conversation.update_time, seen.update_time)) {
      verdicts.set(conversation, 'skipped_stale');
      continue;
    }
    if (seen) verdicts.set(seen, 'skipped_stale');
    newestById.set(conversation.conversation_id, conversation);
  }

  const toWrite = [...newestById.values()];
  const storedMetas = new Map<string, StoredMeta>();
  const metaItems = await batchGetItems(
    ctx,
    ctx.resources.tables.Conversations,
    toWrite.map((conversation) => metaKey(userId, conversation.conversation_id)),
    storedMetaAttributes,
  );
  for (const item of metaItems) storedMetas.set(item[partitionKey] as string, item as unknown as StoredMeta);

  const packedWrites = packedBatchWriter(
    ctx,
    ctx.resources.tables.Conversations,
    Math.max(1, ctx.batchWritesInFlight ?? DEFAULT_BATCH_WRITES_IN_FLIGHT),
  );
  const writing: Promise<void>[] = [];
  const noStoredThread: StoredThreadState = { pages: [], legacyMessages: [] };
  const write = (conversation: NormalizedConversation, storedMeta: StoredMeta | null, storedThread: StoredThreadState) => {
    const stored = { meta: storedMeta, thread: storedThread };
    writing.push(
      writeConversation(ctx, owner, conversation, stored, packedWrites, counts, cleanupFailures).then(
        (verdict) => void verdicts.set(conversation, verdict),
        (error: unknown) => failed(conversation, error),
      ),
    );
  };
  const failed = (conversation: NormalizedConversation, error: unknown) => {
    verdicts.set(conversation, 'failed');
    failures.push({ conversation_id: conversation.conversation_id, reason: reasonOf(error), throttled: isCapacityError(error) });
  };

  // Unchanged and stale conversations are decided from the META alone: no further reads or
  // writes. New ones are written at once; changed ones once their stored pages are read.
  const changed: { conversation: NormalizedConversation; storedMeta: StoredMeta }[] = [];
  for (const conversation of toWrite) {
    const storedMeta = storedMetas.get(metaKey(userId, conversation.conversation_id).pk) ?? null;
    const verdict = conversationVerdict(storedMeta, conversation);
    if (verdict === 'unchanged' || verdict === 'skipped_stale') verdicts.set(conversation, verdict);
    else if (storedMeta === null) write(conversation, null, noStoredThread);
    else changed.push({ conversation, storedMeta });
  }

  let next = 0;
  const reader = async () => {
    while (next < changed.length) {
      const { conversation, storedMeta } = changed[next++];
      try {
        write(conversation, storedMeta, await storedThreadState(ctx, userId, conversation.conversation_id));
      } catch (error) {
        failed(conversation, error);
      }
    }
  };
  const readers = Math.max(1, ctx.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(Array.from({ length: Math.min(readers, changed.length) }, reader));
  await Promise.all(writing);

  const outcomes = conversations.map((conversation) => ({
    conversation_id: String(conversation.conversation_id),
    verdict: verdicts.get(conversation) ?? 'failed',
  }));
  for (const { verdict } of outcomes) counts[`conversations_${verdict}`] += 1;
  return { counts, failures, cleanup_failures: cleanupFailures, outcomes };
}

async function writeConversation(
  ctx: StoreContext,
  owner: ItemOwner,
  conversation: NormalizedConversation,
  stored: { meta: StoredMeta | null; thread: StoredThreadState },
  packedWrites: PackedBatchWriter,
  counts: ChunkWriteCounts,
  cleanupFailures: ConversationWriteFailure[],
): Promise<DiffVerdict> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const table = ctx.resources.tables.Conversations;
  const { userId } = owner;
  const id = conversation.conversation_id;
  const { meta: storedMeta, thread } = stored;

  const diff = planDiff({ meta: storedMeta, pages: thread.pages, legacyMessages: thread.legacyMessages }, conversation, owner);
  if (!diff.meta) return diff.verdict;

  const meta = offloadMetaItem(diff.meta);
  const puts = diff.put.map((page) => offloadPageItem(userId, id, page));

  await ctx.faults?.beforeMessageWrites?.(id);
  // Objects before the items that reference them (those the committed pages hold exist already).
  const objects = [...meta.objects, ...puts.flatMap((put) => put.objects)].filter((object) => !diff.storedObjectKeys.has(object.key));
  counts.objects_offloaded += await putOffloadedObjects(ctx, objects);
  await packedWrites.write([...puts.map((put) => putRequest(storedPage(put.item))), ...diff.delete.map(deleteRequest)]);
  counts.messages_put += diff.messagesPut;
  counts.messages_deleted += diff.messagesDeleted;

  await ctx.faults?.beforeMetaCommit?.(id);

  // The commit: refused when a newer version was committed since we read (a concurrent or late
  // writer), so an older export never rolls the META back.
  try {
    await withThrottleRetry(backoff, () =>
      ctx.clients.dynamo.send(
        new PutCommand({
          TableName: table,
          Item: meta.item,
          ConditionExpression:
            conversation.update_time === null
              ? `attribute_not_exists(${partitionKey}) OR attribute_type(update_time, :null)`
              : `attribute_not_exists(${partitionKey}) OR attribute_type(update_time, :null) OR update_time <= :updateTime`,
          ExpressionAttributeValues: {
            ':null': 'NULL',
            ...(conversation.update_time === null ? {} : { ':updateTime': conversation.update_time }),
          },
        }),
      ),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    // We lost to a newer version after writing pages over its own: flag the META so the next
    // import repairs the pages even though its content_hash matches.
    if (puts.length > 0 || diff.delete.length > 0) await markMessagesDirty(ctx, diff.meta.pk);
    return 'skipped_stale';
  }

  // After the commit: the layout-1 items this version replaced, and the objects it no longer
  // references. Failing here leaves only unreferenced leftovers (never read; the next change,
  // delete or migration removes them), so the conversation still counts as written.
  try {
    await ctx.faults?.afterMetaCommit?.(id);
    if (diff.deleteAfterCommit.length > 0) await packedWrites.write(diff.deleteAfterCommit.map(deleteRequest));
    // Every page of the committed thread, put now or kept, with its offload decision (pure and
    // deterministic, so a kept page's references are the ones it was stored with).
    const putPages = new Set(diff.put.map((page) => page.sk));
    const keep = new Set<string>(referencedKeys(meta.item));
    for (const put of puts) for (const key of referencedKeys(put.item)) keep.add(key);
    for (const page of diff.pages) {
      if (!putPages.has(page.sk)) for (const key of referencedKeys(offloadPageItem(userId, id, page).item)) keep.add(key);
    }
    const hadObjects =
      keep.size > 0 ||
      Boolean(storedMeta?.transcript_ref || storedMeta?.raw_text_ref) ||
      thread.pages.some((page) => page.offloaded_keys?.length) ||
      thread.legacyMessages.some((message) => message.text_ref);
    if (hadObjects) counts.objects_deleted += await deleteUnreferencedObjects(ctx, userId, id, keep);
  } catch (error) {
    cleanupFailures.push({ conversation_id: id, reason: reasonOf(error), throttled: isCapacityError(error) });
  }
  return diff.verdict;
}

async function markMessagesDirty(ctx: StoreContext, pk: string): Promise<void> {
  try {
    await ctx.clients.dynamo.send(
      new UpdateCommand({
        TableName: ctx.resources.tables.Conversations,
        Key: { pk, sk: META_SK },
        UpdateExpression: 'SET messages_dirty = :dirty',
        ConditionExpression: `attribute_exists(${partitionKey})`,
        ExpressionAttributeValues: { ':dirty': true },
      }),
    );
  } catch (error) {
    // Deleted meanwhile: nothing left to repair.
    if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
