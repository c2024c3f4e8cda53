// The archive's file items: which stored object (by sha256) a file id of the export is, with
// its original name, type and size. Written once per file and never overwritten: a later
// export claiming other bytes for the same file id keeps the stored copy.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { assetHolderKey, fileKey } from './assetKeys';
import { conversationsTableAttributes } from './conversationKeys';
import { batchGetItems } from '../aws/batchGetItems';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import type { StoreContext } from './storeContext';

export interface StoredFile {
  file_id: string;
  sha256: string;
  name: string;
  mime_type: string;
  bytes: number;
  /** The ZIP entry's CRC-32 it was copied from: an unchanged export is recognised without reading it. */
  zip_crc32: number;
  import_id: string;
}

/** The file items of these ids that exist, by file id. */
export async function getStoredFiles(ctx: StoreContext, userId: string, fileIds: Iterable<string>): Promise<Map<string, StoredFile>> {
  const keys = [...new Set(fileIds)].map((fileId) => fileKey(userId, fileId));
  const items = await batchGetItems(ctx, ctx.resources.tables.Conversations, keys);
  return new Map(items.map((item) => [item.file_id as string, item as unknown as StoredFile]));
}

/**
 * Records a copied file: its holder item first (so the object is never without a holder), then
 * the file item, on condition that none exists or it names the same bytes. False when a file
 * item with other bytes is already stored (kept as it is).
 */
export async function commitStoredFile(ctx: StoreContext, userId: string, file: StoredFile): Promise<boolean> {
  const table = ctx.resources.tables.Conversations;
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  await withThrottleRetry(backoff, () =>
    ctx.clients.dynamo.send(
      new PutCommand({
        TableName: table,
        Item: { ...assetHolderKey(userId, file.sha256, file.file_id), file_id: file.file_id, name: file.name, mime_type: file.mime_type, bytes: file.bytes },
      }),
    ),
  );
  try {
    await withThrottleRetry(backoff, () =>
      ctx.clients.dynamo.send(
        new PutCommand({
          TableName: table,
          Item: { ...fileKey(userId, file.file_id), ...file },
          ConditionExpression: `attribute_not_exists(${conversationsTableAttributes.partitionKey}) OR sha256 = :sha`,
          ExpressionAttributeValues: { ':sha': file.sha256 },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
