// One import at a time per user: the `LOCK` item of the user's partition names the import that
// holds it and until when. The lease is compared in the write condition; `expires_at` (TTL) only
// sweeps abandoned locks eventually and is never relied on (DynamoDB Local never sweeps).

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { domainError } from '../../errors/domainError';
import { errorClass } from '../../errors/errorClass';
import { workflowErrorNames } from '../workflowErrors';
import { importsTableAttributes, importsTableKeys, type ImportsItemKey } from './importsTableKeys';
import { currentTime, type JobStoreContext } from './jobStoreContext';

const { partitionKey, expiresAt } = importsTableAttributes;

export interface ImportLockHolder {
  user_id: string;
  import_id: string;
  acquired_at: string;
  /** Epoch milliseconds; past it, another import may take the lock over. */
  lease_until: number;
}

/** Another import of the user holds the lock. The state machine retries on this error name. */
export class ImportLockBusy extends domainError(workflowErrorNames.lockBusy, 'conflict') {
  constructor(
    readonly userId: string,
    readonly importId: string,
    readonly holder: ImportLockHolder | null,
  ) {
    super(
      holder
        ? `import ${holder.import_id} of this user is running (lease until ${new Date(holder.lease_until).toISOString()}); ${importId} waits`
        : `the import lock of this user is held; ${importId} waits`,
    );
  }
}

/** The lock was taken over (its lease ran out) or released: the import no longer owns it. */
export class ImportLockLost extends errorClass('ImportLockLost') {
  constructor(
    readonly userId: string,
    readonly importId: string,
  ) {
    super(`import ${importId} no longer holds the import lock of its user`);
  }
}

/**
 * Takes the lock when it is free, already ours (a retried AcquireLock renews it) or its lease
 * ran out (the holder died); otherwise throws ImportLockBusy.
 */
export async function acquireImportLock(
  ctx: JobStoreContext,
  userId: string,
  importId: string,
  leaseSeconds: number,
): Promise<ImportLockHolder> {
  const now = currentTime(ctx);
  const holder: ImportLockHolder = {
    user_id: userId,
    import_id: importId,
    acquired_at: now.toISOString(),
    lease_until: now.getTime() + leaseSeconds * 1000,
  };
  try {
    await ctx.clients.dynamo.send(
      new PutCommand({
        TableName: ctx.tables.Imports,
        Item: { ...lockKey(userId), ...holder, [expiresAt]: ttlFor(holder.lease_until) },
        ConditionExpression: `attribute_not_exists(${partitionKey}) OR import_id = :importId OR lease_until < :now`,
        ExpressionAttributeValues: { ':importId': importId, ':now': now.getTime() },
      }),
    );
    return holder;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new ImportLockBusy(userId, importId, await readImportLock(ctx, userId));
  }
}

/** Extends the lease of a lock this import holds; throws ImportLockLost when it holds it no more. */
export async function renewImportLock(
  ctx: JobStoreContext,
  userId: string,
  importId: string,
  leaseSeconds: number,
): Promise<ImportLockHolder> {
  const leaseUntil = currentTime(ctx).getTime() + leaseSeconds * 1000;
  try {
    const { Attributes } = await ctx.clients.dynamo.send(
      new UpdateCommand({
        TableName: ctx.tables.Imports,
        Key: lockKey(userId),
        UpdateExpression: `SET lease_until = :leaseUntil, ${expiresAt} = :expiresAt`,
        ConditionExpression: 'import_id = :importId',
        ExpressionAttributeValues: { ':leaseUntil': leaseUntil, ':expiresAt': ttlFor(leaseUntil), ':importId': importId },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return holderFromItem(Attributes ?? {});
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new ImportLockLost(userId, importId);
  }
}

/** Deletes the lock if this import holds it; false (and the lock untouched) otherwise. */
export async function releaseImportLock(ctx: JobStoreContext, userId: string, importId: string): Promise<boolean> {
  try {
    await ctx.clients.dynamo.send(
      new DeleteCommand({
        TableName: ctx.tables.Imports,
        Key: lockKey(userId),
        ConditionExpression: 'import_id = :importId',
        ExpressionAttributeValues: { ':importId': importId },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The current holder, even one whose lease ran out (it still holds until taken over). */
export async function readImportLock(ctx: JobStoreContext, userId: string): Promise<ImportLockHolder | null> {
  const { Item } = await ctx.clients.dynamo.send(
    new GetCommand({ TableName: ctx.tables.Imports, Key: lockKey(userId), ConsistentRead: true }),
  );
  return Item ? holderFromItem(Item) : null;
}

function lockKey(userId: string): ImportsItemKey {
  return { pk: importsTableKeys.partition(userId), sk: importsTableKeys.lock };
}

/** TTL a day past the lease: long enough that no sweep can race a live holder's renewal. */
function ttlFor(leaseUntil: number): number {
  return Math.ceil(leaseUntil / 1000) + 24 * 3600;
}

function holderFromItem(item: Record<string, unknown>): ImportLockHolder {
  return {
    user_id: String(item.user_id),
    import_id: String(item.import_id),
    acquired_at: String(item.acquired_at),
    lease_until: Number(item.lease_until),
  };
}
