// Moves an archive from layout 1 (one MSG item per message) to layout 2 (message pages), without
// losing anything and resumably (archiveLayout.ts). Per conversation that still has MSG items:
//   read its META and MSG items → pages built exactly as an import builds them (texts resolved
//   from S3 first, so offload decisions are the writer's own) → objects, then pages → flip the
//   META to layout 2 (conditional: same content_hash, still layout 1) → delete the MSG items →
//   delete objects no longer referenced.
// Until the flip, readers read the MSG items; after it, the pages. A crash at any point leaves a
// conversation with MSG items, which the next run finds and finishes; MSG items under a META that
// is already layout 2 (or under no META at all: a crashed first attempt's) are only deleted.
// When every conversation is done the marker item records it, so later starts skip the scan.
//
// Run it while no import writes to the table (the local system runs it at start, before it
// accepts uploads): an import of the same conversation in between could have its pages
// overwritten by the migrated old ones before its own META commit.

import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import { CURRENT_LAYOUT, layoutMarkerKey, layoutOf } from './archiveLayout';
import { batchWriteItems, deleteRequest, putRequest } from '../aws/batchWriteItems';
import { messageFromItem, type ConversationMetaItem, type MessageItem } from './conversationItems';
import { conversationsTableAttributes, MESSAGE_SK_PREFIX, META_SK, parseConversationPk, positionOfMessageSk } from './conversationKeys';
import { messagePageItems } from './messagePages';
import { deleteUnreferencedObjects, putOffloadedObjects, resolveText } from './offloadedObjects';
import { offloadPageItem, referencedKeys } from './offloadLargeFields';
import { storedPage } from './storedPage';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import { queryPages } from '../aws/queryPages';
import type { StoreContext } from './storeContext';
import { errorClass } from '../errors/errorClass';

const { partitionKey, sortKey } = conversationsTableAttributes;

export interface LayoutMigrationResult {
  /** The marker said the archive was already current: nothing was scanned. */
  already_current: boolean;
  conversations_migrated: number;
  messages_migrated: number;
  /** MSG items deleted (migrated ones, and leftovers no committed thread used). */
  items_deleted: number;
  /** Conversations left in layout 1 (still readable as before); the next run retries them. */
  failures: { pk: string; reason: string }[];
}

const DEFAULT_CONCURRENCY = 4;

export class LegacyThreadError extends errorClass('LegacyThreadError') {}

export async function migrateArchiveLayout(ctx: StoreContext, options: { concurrency?: number } = {}): Promise<LayoutMigrationResult> {
  const table = ctx.resources.tables.Conversations;
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const result: LayoutMigrationResult = { already_current: false, conversations_migrated: 0, messages_migrated: 0, items_deleted: 0, failures: [] };
  const marker = await ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key: layoutMarkerKey, ConsistentRead: true }));
  if (((marker.Item?.version as number | undefined) ?? 0) >= CURRENT_LAYOUT) return { ...result, already_current: true };

  const partitions = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const output = await withThrottleRetry(backoff, () =>
      ctx.clients.dynamo.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: `begins_with(${sortKey}, :msg)`,
          ExpressionAttributeValues: { ':msg': MESSAGE_SK_PREFIX },
          ProjectionExpression: partitionKey,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    for (const item of output.Items ?? []) partitions.add(item[partitionKey] as string);
    startKey = output.LastEvaluatedKey;
  } while (startKey);

  await migrateConversations(ctx, [...partitions], result, { concurrency: options.concurrency });

  if (result.failures.length === 0) {
    await ctx.clients.dynamo.send(
      new PutCommand({ TableName: table, Item: { ...layoutMarkerKey, version: CURRENT_LAYOUT, migrated_at: (ctx.now?.() ?? new Date()).toISOString() } }),
    );
  }
  return result;
}

function idsOfPk(pk: string): { userId: string; conversationId: string } {
  const ids = parseConversationPk(pk);
  if (!ids) throw new LegacyThreadError(`not a conversation partition: ${pk}`);
  return ids;
}

/** The tallies a migration run keeps; both the whole-archive and the per-user run add to them. */
export type MigrationTallies = Pick<LayoutMigrationResult, 'conversations_migrated' | 'messages_migrated' | 'items_deleted' | 'failures'>;

/**
 * Migrates each partition, `concurrency` at a time, adding to `tallies` as it goes (so a caller
 * that stops keeps what was done). A conversation that fails is listed, never thrown. `before`
 * may skip a partition or stop the run (no new conversation is started once it says so).
 */
export async function migrateConversations(
  ctx: StoreContext,
  pks: readonly string[],
  tallies: MigrationTallies,
  options: { concurrency?: number; before?: (pk: string) => Promise<'migrate' | 'skip' | 'stop'> } = {},
): Promise<{ stopped: boolean }> {
  const queue = [...pks];
  let stopped = false;
  const worker = async () => {
    for (let pk = queue.shift(); pk !== undefined && !stopped; pk = queue.shift()) {
      try {
        const decision = options.before ? await options.before(pk) : 'migrate';
        if (decision === 'stop') {
          stopped = true;
          return;
        }
        if (decision === 'skip') continue;
        const migrated = await migrateConversation(ctx, pk);
        if (migrated.messages !== null) {
          tallies.conversations_migrated += 1;
          tallies.messages_migrated += migrated.messages;
        }
        tallies.items_deleted += migrated.itemsDeleted;
      } catch (error) {
        tallies.failures.push({ pk, reason: migrationErrorText(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
  return { stopped };
}

export function migrationErrorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * One conversation partition to layout 2 (see the top of this file); also what the per-user
 * migration runs (migrateUserLayout.ts). `messages` is null when nothing needed migrating.
 */
export async function migrateConversation(ctx: StoreContext, pk: string): Promise<{ messages: number | null; itemsDeleted: number }> {
  const table = ctx.resources.tables.Conversations;
  const backoff = ctx.backoff ?? defaultRetryBackoff;
  const { userId, conversationId } = idsOfPk(pk);
  const metaOutput = await ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: META_SK }, ConsistentRead: true }));
  const meta = metaOutput.Item as ConversationMetaItem | undefined;
  const legacy: MessageItem[] = [];
  const pages = queryPages(ctx, {
    TableName: table,
    KeyConditionExpression: `${partitionKey} = :pk AND begins_with(${sortKey}, :msg)`,
    ExpressionAttributeValues: { ':pk': pk, ':msg': MESSAGE_SK_PREFIX },
    ConsistentRead: true,
  });
  for await (const page of pages) legacy.push(...(page as unknown as MessageItem[]));

  let migrated: number | null = null;
  if (meta && layoutOf(meta) === 1) {
    const count = meta.message_count ?? 0;
    const committed = legacy.filter((item) => positionOfMessageSk(item.sk) < count).sort((a, b) => a.position - b.position);
    if (committed.length !== count || committed.some((item, index) => item.position !== index)) {
      throw new LegacyThreadError(`${conversationId}: ${committed.length} of ${count} messages stored; left in layout 1`);
    }
    const messages: NormalizedMessage[] = await Promise.all(
      committed.map(async (item) => messageFromItem(item, await resolveText(ctx, item.text, item.text_ref))),
    );
    const pages = messagePageItems(userId, conversationId, messages).map((page) => offloadPageItem(userId, conversationId, page));
    await putOffloadedObjects(ctx, pages.flatMap((page) => page.objects));
    await batchWriteItems(ctx, table, pages.map((page) => putRequest(storedPage(page.item))));
    try {
      await withThrottleRetry(backoff, () =>
        ctx.clients.dynamo.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk, sk: META_SK },
            UpdateExpression: 'SET layout = :layout',
            ConditionExpression: 'content_hash = :hash AND attribute_not_exists(layout)',
            ExpressionAttributeValues: { ':layout': CURRENT_LAYOUT, ':hash': meta.content_hash },
          }),
        ),
      );
      migrated = messages.length;
    } catch (error) {
      // Rewritten meanwhile (in layout 2, by a writer that replaces MSG items itself): done.
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
    if (migrated !== null && legacy.some((item) => item.text_ref)) {
      const keep = new Set([...referencedKeys(meta), ...pages.flatMap((page) => referencedKeys(page.item))]);
      await deleteUnreferencedObjects(ctx, userId, conversationId, keep);
    }
  }
  // Layout 2 now (or no META: a crashed first attempt's leftovers): the MSG items are unread.
  await batchWriteItems(ctx, table, legacy.map((item) => deleteRequest({ pk, sk: item.sk })));
  return { messages: migrated, itemsDeleted: legacy.length };
}
