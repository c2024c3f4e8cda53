// Reading a stopped DynamoDB Local's data file directly must answer exactly as DynamoDB Local
// does: the same archive read through both, page by page, with every cursor, must be equal.

import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsClients } from '@threadline/core/aws/awsClients';
import { createJob } from '@threadline/core/importWorkflow/job/jobRepository';
import { listJobs } from '@threadline/core/importWorkflow/job/jobListing';
import { MESSAGES_PER_PAGE as P } from '@threadline/core/archive/archiveLayout';
import { batchGetItems } from '@threadline/core/aws/batchGetItems';
import { metaKey } from '@threadline/core/archive/conversationKeys';
import { getConversation } from '@threadline/core/archive/getConversation';
import { listConversations } from '@threadline/core/archive/listConversations';
import { listMessages } from '@threadline/core/archive/listMessages';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { writeConversations } from '@threadline/core/archive/writeConversations';
import { buildConversation } from '../../../core/test/archive/conversationBuilder';
import { createResources } from '../../src/stack/createResources';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/stack/dynamoDbLocal';
import { openDynamoDbLocalFile } from '../../src/stack/dynamoDbLocalFile';
import { localPartsEnvironment } from '../../src/stack/localCredentials';
import '../../../../test/setup/localPartsContext';

let dir: string;
let dynamoDbLocal: DynamoDbLocal | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'threadline-dbfile-'));
});
afterAll(async () => {
  await dynamoDbLocal?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Everything the reading commands read, through whatever answers `ctx`'s commands. */
async function readAll(ctx: StoreContext, userId: string) {
  const listing: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await listConversations(ctx, userId, { limit: 4, cursor });
    listing.push(page);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  const threads: Record<string, unknown[]> = {};
  for (const id of ['long', 'legacy', 'big', 'missing']) {
    threads[id] = [await getConversation(ctx, userId, id)];
    let messageCursor: string | undefined;
    do {
      const page = await listMessages(ctx, userId, id, { limit: 7, cursor: messageCursor });
      threads[id].push(page);
      messageCursor = page.cursor ?? undefined;
    } while (messageCursor);
  }
  const jobs = await listJobs({ clients: ctx.clients, tables: ctx.resources.tables, bucket: ctx.resources.bucket }, userId, { limit: 2 });
  const moreJobs = await listJobs({ clients: ctx.clients, tables: ctx.resources.tables, bucket: ctx.resources.bucket }, userId, { limit: 2, cursor: jobs.cursor });
  // BatchGetItem (file metadata, a chunk's METAs): in no particular order, so sorted; a missing key is left out.
  const batch = await batchGetItems(ctx, ctx.resources.tables.Conversations, ['long', 'missing', 'c3', 'legacy'].map((id) => metaKey(userId, id)), ['pk', 'title']);
  const metas = batch.sort((x, y) => String(x.pk).localeCompare(String(y.pk)));
  // Binary attributes (the search index's gzipped segments): bytes, top-level and nested.
  const binary = (await ctx.clients.dynamo.send(new GetCommand({ TableName: ctx.resources.tables.Conversations, Key: { pk: `USER#${userId}#BIN`, sk: 'x' } }))).Item;
  return { listing, threads, jobs, moreJobs, metas, binary };
}

describe('DynamoDB Local data file read directly', () => {
  it('answers the store and job reads exactly as DynamoDB Local does', async () => {
    const dbPath = join(dir, 'dynamodb');
    dynamoDbLocal = await startDynamoDbLocal({ dbPath });
    const { env } = inject('localParts');
    const clients = createAwsClients(localPartsEnvironment({ dynamodb: dynamoDbLocal.endpoint, s3: env.AWS_ENDPOINT_URL_S3 }));
    const resources = await createResources(clients, `dbfile-${Date.now().toString(36)}`);
    const ctx: StoreContext = { clients, resources };
    const userId = 'reader';
    const conversations = [
      buildConversation({ id: 'long', create_time: '2024-03-01T00:00:00.000Z', messages: Array.from({ length: 3 * P + 5 }, (_, i) => `m ${i} ✓`) }),
      buildConversation({ id: 'big', create_time: '2024-02-01T00:00:00.000Z', messages: ['a', 'é'.repeat(200_000), 'c'], transcript: 'small', raw_text: 'small' }),
      ...Array.from({ length: 9 }, (_, i) => buildConversation({ id: `c${i}`, create_time: `2023-0${i + 1}-01T00:00:00.000Z` })),
      buildConversation({ id: 'undated', create_time: null }),
    ];
    expect((await writeConversations(ctx, userId, 'imp-1', conversations)).failures).toEqual([]);
    // A conversation still in layout 1 (one MSG item per message), as an older archive holds it.
    const legacy = buildConversation({ id: 'legacy', create_time: '2024-01-15T00:00:00.000Z', messages: ['old q', 'old a'] });
    await writeConversations(ctx, userId, 'imp-0', [legacy]);
    const pk = `USER#${userId}#CONV#legacy`;
    await clients.dynamo.send(new PutCommand({ TableName: resources.tables.Conversations, Item: { ...(await rawMeta(clients.dynamo, resources.tables.Conversations, pk)), layout: undefined } }));
    for (const message of legacy.messages) {
      const { id, ...fields } = message;
      await clients.dynamo.send(
        new PutCommand({ TableName: resources.tables.Conversations, Item: { pk, sk: `MSG#${String(message.position).padStart(6, '0')}`, hash: 'h', message_id: id, ...fields } }),
      );
    }
    for (const [index, importId] of ['i1', 'i2', 'i3'].entries()) {
      await createJob(
        { clients, tables: resources.tables, bucket: resources.bucket, now: () => new Date(Date.UTC(2024, 0, index + 1)) },
        { userId, importId, source: { name: `${importId}.zip`, key: `imports/${userId}/${importId}.zip`, bytes: 10 } },
      );
    }

    await clients.dynamo.send(
      new PutCommand({
        TableName: resources.tables.Conversations,
        Item: { pk: `USER#${userId}#BIN`, sk: 'x', p: new Uint8Array([31, 139, 0, 250]), nested: { parts: [new Uint8Array([1, 2])] }, set: new Set([new Uint8Array([7])]) },
      }),
    );
    const throughDynamoDbLocal = await readAll(ctx, userId);
    expect(throughDynamoDbLocal.binary!.p).toEqual(new Uint8Array([31, 139, 0, 250]));
    expect((throughDynamoDbLocal.threads.legacy[1] as { items: { text: string }[] }).items.map((m) => m.text)).toEqual(['old q', 'old a']);
    expect(throughDynamoDbLocal.metas.map((meta) => meta.title)).toHaveLength(3);
    await dynamoDbLocal.stop();
    dynamoDbLocal = undefined;

    const file = await openDynamoDbLocalFile(dbPath);
    expect(file).not.toBeNull();
    try {
      const offline: StoreContext = { clients: { dynamo: file!.dynamo as unknown as DynamoDBDocumentClient, s3: clients.s3 }, resources };
      expect(await readAll(offline, userId)).toEqual(throughDynamoDbLocal);
    } finally {
      file!.close();
    }

    // A file it must not read alone: a crashed writer's journal beside it.
    const copy = join(dir, 'copy');
    await mkdir(copy);
    await copyFile(join(dbPath, 'shared-local-instance.db'), join(copy, 'shared-local-instance.db'));
    await writeFile(join(copy, 'shared-local-instance.db-journal'), 'x');
    expect(await openDynamoDbLocalFile(copy)).toBeNull();
  }, 120_000);
});

async function rawMeta(dynamo: DynamoDBDocumentClient, table: string, pk: string) {
  return (await dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: 'META' } }))).Item!;
}
