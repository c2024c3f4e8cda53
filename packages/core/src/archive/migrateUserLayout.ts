// The deployed trigger of the layout migration (archiveLayout.ts): one user's conversations,
// moved to layout 2 by the same per-conversation routine as the whole-archive migration
// (migrateConversation: pages, then the conditional META flip, then the MSG items deleted), within
// a time budget. Finalize runs it while the user's import lock is still held, so no import of
// this user can write the same conversations meanwhile (the routine must not race one).
//
// The user's conversations are walked through the byUser index, one index page at a time; a
// conversation is migrated when its partition still holds an MSG item (layout 1, or a flip whose
// MSG deletes crashed). After each index page done in full the user's marker records the index
// key reached, so a budget that runs out (or a crash) costs the next run only the page it was in;
// when the walk ends with nothing failed, the marker says the user is current and later runs are
// one GetItem. Conversations written meanwhile need nothing: writers write layout 2 only.

import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CURRENT_LAYOUT, layoutMarkerKey, userLayoutMarkerKey } from './archiveLayout';
import { conversationsTableAttributes, MESSAGE_SK_PREFIX, userPartition } from './conversationKeys';
import { migrateConversations, migrationErrorText } from './migrateArchiveLayout';
import { queryPages } from '../aws/queryPages';
import { defaultRetryBackoff, withThrottleRetry } from '../aws/retryBackoff';
import type { StoreContext } from './storeContext';

const { partitionKey, sortKey, byUserIndex: byUser } = conversationsTableAttributes;

export interface UserLayoutMigrationBudget {
  /** Milliseconds the caller has left (a Lambda's `getRemainingTimeInMillis`). */
  timeLeftMs: () => number;
  /** Kept for the caller's own work after the migration: no conversation is started with less left. */
  reserveMs: number;
}

export interface UserLayoutMigrationResult {
  /** Every conversation of the user is current (now, or already before). */
  done: boolean;
  /** The budget ran out before the walk ended: the next run goes on from the marker. */
  stopped_by_budget: boolean;
  conversations_migrated: number;
  messages_migrated: number;
  /** MSG items deleted (migrated ones, and leftovers of a crashed earlier run). */
  items_deleted: number;
  /** Conversations left in layout 1 (still readable as before); the next run retries them. */
  failures: { pk: string; reason: string }[];
  /** What stopped the walk itself (the index or the marker unreadable or unwritable, past the retries); the next run resumes. */
  stopped_by_error: string | null;
}

/** Index entries per page: the marker is written once per page, and a stop repeats at most one. */
const INDEX_PAGE_SIZE = 100;

interface UserLayoutMarker {
  version?: number;
  cursor?: Record<string, unknown>;
}

export async function migrateUserLayout(
  ctx: StoreContext,
  userId: string,
  budget: UserLayoutMigrationBudget,
  options: { concurrency?: number; /** Index entries per page (tests lower it to cross pages). */ indexPageSize?: number } = {},
): Promise<UserLayoutMigrationResult> {
  const result: UserLayoutMigrationResult = {
    done: false,
    stopped_by_budget: false,
    conversations_migrated: 0,
    messages_migrated: 0,
    items_deleted: 0,
    failures: [],
    stopped_by_error: null,
  };
  try {
    return await walkUserConversations(ctx, userId, budget, options, result);
  } catch (error) {
    // What was migrated before the error is done (and counted); the marker has not passed it.
    return { ...result, stopped_by_error: migrationErrorText(error) };
  }
}

/** The walk; counts accumulate in `result` as they happen, so an error keeps them. */
async function walkUserConversations(
  ctx: StoreContext,
  userId: string,
  budget: UserLayoutMigrationBudget,
  options: { concurrency?: number; indexPageSize?: number },
  result: UserLayoutMigrationResult,
): Promise<UserLayoutMigrationResult> {
  const table = ctx.resources.tables.Conversations;
  const markerKey = userLayoutMarkerKey(userId);
  const [archiveMarker, userMarker] = await Promise.all(
    [layoutMarkerKey, markerKey].map(async (Key) => (await ctx.clients.dynamo.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item as UserLayoutMarker | undefined),
  );
  if ((archiveMarker?.version ?? 0) >= CURRENT_LAYOUT || (userMarker?.version ?? 0) >= CURRENT_LAYOUT) return { ...result, done: true };

  const outOfTime = () => budget.timeLeftMs() <= budget.reserveMs;
  // Once a conversation fails, the marker stays before its page so the next run retries it.
  let cursorHeld = false;
  let startKey = userMarker?.cursor;
  do {
    if (outOfTime()) return { ...result, stopped_by_budget: true };
    const page = await indexPage(ctx, userId, startKey, options.indexPageSize ?? INDEX_PAGE_SIZE);
    const failuresBefore = result.failures.length;
    const { stopped } = await migrateConversations(ctx, page.pks, result, {
      concurrency: options.concurrency,
      before: async (pk) => (outOfTime() ? 'stop' : (await holdsMessageItems(ctx, pk)) ? 'migrate' : 'skip'),
    });
    if (result.failures.length > failuresBefore) cursorHeld = true;
    if (stopped) return { ...result, stopped_by_budget: true };
    startKey = page.lastKey;
    if (!cursorHeld && startKey) {
      await ctx.clients.dynamo.send(new PutCommand({ TableName: table, Item: { ...markerKey, cursor: startKey } }));
    }
  } while (startKey);

  if (cursorHeld) return result;
  await ctx.clients.dynamo.send(
    new PutCommand({ TableName: table, Item: { ...markerKey, version: CURRENT_LAYOUT, migrated_at: (ctx.now?.() ?? new Date()).toISOString() } }),
  );
  return { ...result, done: true };
}

/** One page of the user's conversation partitions from the byUser index (keys only). */
async function indexPage(
  ctx: StoreContext,
  userId: string,
  startKey: Record<string, unknown> | undefined,
  limit: number,
): Promise<{ pks: string[]; lastKey?: Record<string, unknown> }> {
  const output = await withThrottleRetry(ctx.backoff ?? defaultRetryBackoff, () =>
    ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.resources.tables.Conversations,
        IndexName: byUser.name,
        KeyConditionExpression: `${byUser.partitionKey} = :user`,
        ExpressionAttributeValues: { ':user': userPartition(userId) },
        ProjectionExpression: partitionKey,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    ),
  );
  return { pks: (output.Items ?? []).map((item) => item[partitionKey] as string), ...(output.LastEvaluatedKey ? { lastKey: output.LastEvaluatedKey } : {}) };
}

/** Whether the partition still holds a layout-1 message item: one key read, no texts. */
async function holdsMessageItems(ctx: StoreContext, pk: string): Promise<boolean> {
  const pages = queryPages(ctx, {
    TableName: ctx.resources.tables.Conversations,
    KeyConditionExpression: `${partitionKey} = :pk AND begins_with(${sortKey}, :msg)`,
    ExpressionAttributeValues: { ':pk': pk, ':msg': MESSAGE_SK_PREFIX },
    ProjectionExpression: sortKey,
    Limit: 1,
    ConsistentRead: true,
  });
  for await (const items of pages) return items.length > 0;
  return false;
}
