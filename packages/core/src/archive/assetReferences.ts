// Which conversations point at which files, kept from both sides (see assetKeys.ts), and the
// release of files and stored objects nothing points at any more.
//
// Release order, so a crash part-way is finished by the next release: the holder item goes
// first, then the object if no holder is left, and the file item LAST — while it exists, a
// release of that file id can run again.

import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { objectKeys } from './objectKeys';
import { conversationsTableAttributes } from './conversationKeys';
import {
  assetHolderKey,
  assetHolderPk,
  conversationFileKey,
  conversationFilesPk,
  FILE_REF_SK_PREFIX,
  fileKey,
  filePk,
  fileRefKey,
  HOLDER_SK_PREFIX,
} from './assetKeys';
import { batchWriteItems, deleteRequest, putRequest } from '../aws/batchWriteItems';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import { queryPages } from '../aws/queryPages';
import type { PackedBatchWriter } from './packedBatchWriter';
import type { StoreContext } from './storeContext';

const { partitionKey, sortKey } = conversationsTableAttributes;

export interface ReferenceSyncResult {
  added: number;
  removed: number;
  /** Stored objects deleted because nothing pointed at them any more. */
  objects_deleted: number;
}

/** The file ids a conversation points at now, as stored. */
export async function storedConversationFiles(ctx: StoreContext, userId: string, conversationId: string): Promise<string[]> {
  const items = await queryAll(ctx, conversationFilesPk(userId, conversationId), HOLDER_SK_PREFIX);
  return items.map((item) => (item[sortKey] as string).slice(HOLDER_SK_PREFIX.length));
}

/**
 * Makes the stored references of one conversation exactly `fileIds`: adds the missing ones,
 * removes the others and releases what they held. `stored` (if the caller read it) saves a Query;
 * `packed` (if given) writes the additions in batches shared with other conversations' (a chunk's
 * new conversations hold ~7 references each: alone, that is a BatchWriteItem per conversation).
 */
export async function syncConversationFiles(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  fileIds: readonly string[],
  stored?: readonly string[],
  packed?: PackedBatchWriter,
): Promise<ReferenceSyncResult> {
  const current = new Set(stored ?? (await storedConversationFiles(ctx, userId, conversationId)));
  const wanted = new Set(fileIds);
  const added = [...wanted].filter((fileId) => !current.has(fileId));
  const removed = [...current].filter((fileId) => !wanted.has(fileId));
  const table = ctx.resources.tables.Conversations;
  const additions = added.flatMap((fileId) => [
    putRequest({ ...fileRefKey(userId, fileId, conversationId), conversation_id: conversationId }),
    putRequest({ ...conversationFileKey(userId, conversationId, fileId), file_id: fileId }),
  ]);
  await (packed ? packed.write(additions) : batchWriteItems(ctx, table, additions));
  let objects_deleted = 0;
  for (const fileId of removed) {
    await batchWriteItems(ctx, table, [
      deleteRequest(fileRefKey(userId, fileId, conversationId)),
      deleteRequest(conversationFileKey(userId, conversationId, fileId)),
    ]);
    objects_deleted += await releaseFileIfUnreferenced(ctx, userId, fileId);
  }
  return { added: added.length, removed: removed.length, objects_deleted };
}

/** Removes every reference of a conversation (it is being deleted); returns the objects deleted. */
export async function releaseConversationFiles(ctx: StoreContext, userId: string, conversationId: string): Promise<number> {
  return (await syncConversationFiles(ctx, userId, conversationId, [])).objects_deleted;
}

/** Deletes the file (and its object, if no other file holds it) when no conversation points at it. Returns objects deleted. */
export async function releaseFileIfUnreferenced(ctx: StoreContext, userId: string, fileId: string): Promise<number> {
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const table = ctx.resources.tables.Conversations;
  const refs = await withThrottleRetry(backoff, () =>
    ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: `${partitionKey} = :pk AND begins_with(${sortKey}, :ref)`,
        ExpressionAttributeValues: { ':pk': filePk(userId, fileId), ':ref': FILE_REF_SK_PREFIX },
        Limit: 1,
      }),
    ),
  );
  if ((refs.Items ?? []).length > 0) return 0;
  const file = await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key: fileKey(userId, fileId) })));
  const sha256 = file.Item?.sha256 as string | undefined;
  let objects_deleted = 0;
  if (sha256) {
    await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new DeleteCommand({ TableName: table, Key: assetHolderKey(userId, sha256, fileId) })));
    const holders = await queryAll(ctx, assetHolderPk(userId, sha256), HOLDER_SK_PREFIX, 1);
    if (holders.length === 0) {
      await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.resources.bucket, Key: objectKeys.asset(userId, sha256) }));
      objects_deleted = 1;
    }
  }
  await withThrottleRetry(backoff, () => ctx.clients.dynamo.send(new DeleteCommand({ TableName: table, Key: fileKey(userId, fileId) })));
  return objects_deleted;
}

/** Whether some file of the user holds this stored object (what `threadline asset` and the API may serve). */
export async function isStoredAsset(ctx: StoreContext, userId: string, sha256: string): Promise<boolean> {
  return (await queryAll(ctx, assetHolderPk(userId, sha256), HOLDER_SK_PREFIX, 1)).length > 0;
}

async function queryAll(ctx: StoreContext, pk: string, skPrefix: string, limit?: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    KeyConditionExpression: `${partitionKey} = :pk AND begins_with(${sortKey}, :prefix)`,
    ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
    ...(limit ? { Limit: limit } : {}),
  });
  for await (const page of pages) {
    items.push(...page);
    if (limit && items.length >= limit) break;
  }
  return items;
}
