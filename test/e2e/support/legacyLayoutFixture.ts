// The layout-1 archive real code wrote (test/fixtures/legacyLayoutArchive.json.gz; see
// layoutMigration.test.ts for what it holds), loadable under its own user or another one.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteItems, putRequest } from '@threadline/core/aws/batchWriteItems';
import type { StoreContext } from '@threadline/core/archive/storeContext';

export interface LegacyFixture {
  user_id: string;
  items: Record<string, unknown>[];
  objects: { key: string; body: string }[];
}

export const legacyFixture = JSON.parse(
  gunzipSync(readFileSync(new URL('../../fixtures/legacyLayoutArchive.json.gz', import.meta.url))).toString('utf8'),
) as LegacyFixture;

/** The fixture's items and objects under `userId`: its partition keys, index keys, user ids and object keys rewritten. */
export function legacyFixtureFor(userId: string): LegacyFixture {
  const from = legacyFixture.user_id;
  const rekey = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(`USER#${from}#`, `USER#${userId}#`).replace(new RegExp(`^USER#${from}$`), `USER#${userId}`).replace(`archive/${from}/`, `archive/${userId}/`)
      : value;
  const rewrite = (item: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(item).map(([name, value]) => {
        if (name === 'user_id') return [name, userId];
        if (name.endsWith('_ref') && value && typeof value === 'object') return [name, { ...value, key: rekey((value as { key: string }).key) }];
        if (name === 'offloaded_keys' && Array.isArray(value)) return [name, value.map(rekey)];
        return [name, rekey(value)];
      }),
    );
  return {
    user_id: userId,
    items: legacyFixture.items.map(rewrite),
    objects: legacyFixture.objects.map((object) => ({ ...object, key: rekey(object.key) as string })),
  };
}

export async function loadLegacyFixture(ctx: StoreContext, fixture: LegacyFixture = legacyFixture): Promise<void> {
  await batchWriteItems(ctx, ctx.resources.tables.Conversations, fixture.items.map(putRequest));
  for (const object of fixture.objects) {
    await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.resources.bucket, Key: object.key, Body: object.body }));
  }
}

/** Every item of the Conversations table. */
export async function conversationsTableItems(ctx: StoreContext): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await ctx.clients.dynamo.send(new ScanCommand({ TableName: ctx.resources.tables.Conversations, ExclusiveStartKey: startKey }));
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A user's conversation partitions' items, in key order (to compare before and after). */
export function itemsOfUser(items: Record<string, any>[], userId: string): Record<string, any>[] {
  return items
    .filter((item) => String(item.pk).startsWith(`USER#${userId}#CONV#`))
    .sort((a, b) => (a.pk === b.pk ? (a.sk < b.sk ? -1 : 1) : a.pk < b.pk ? -1 : 1));
}
