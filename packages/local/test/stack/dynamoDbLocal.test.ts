import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '@threadline/core/aws/awsClients';
import { createResources } from '../../src/stack/createResources';
import { startLocalStack, type LocalStack } from '../../src/stack/localStack';

describe('persistent local stack (-dbPath)', () => {
  let dataDir: string;
  let running: LocalStack | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'threadline-home-'));
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps tables, items and objects across a stop and a start', async () => {
    running = await startLocalStack({ dataDir });
    let clients = createAwsClients(running.env);
    const resources = await createResources(clients, 'persist');
    const item = { pk: 'USER#u1', sk: 'IMPORT#i1', status: 'SUCCEEDED' };
    await clients.dynamo.send(new PutCommand({ TableName: resources.tables.Imports, Item: item }));
    await clients.s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: 'imports/u1/i1.zip', Body: 'kept' }));
    await running.stop();
    running = undefined;

    running = await startLocalStack({ dataDir });
    clients = createAwsClients(running.env);
    const { TableNames } = await (clients.dynamo as unknown as DynamoDBClient).send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining([resources.tables.Conversations, resources.tables.Imports]));
    const { Item } = await clients.dynamo.send(new GetCommand({ TableName: resources.tables.Imports, Key: { pk: 'USER#u1', sk: 'IMPORT#i1' } }));
    expect(Item).toEqual(item);
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: 'imports/u1/i1.zip' }));
    expect(await object.Body!.transformToString()).toBe('kept');
    // Idempotent on an existing data dir: a persistent stack calls it on every start.
    expect(await createResources(clients, 'persist')).toEqual(resources);
  });

  it('leaves no java process behind after stop()', async () => {
    const stack = await startLocalStack({ inMemory: true });
    const dynamoPort = Number(new URL(stack.endpoints.dynamodb).port);
    await stack.stop();
    const javaProcesses = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('DynamoDBLocal') && line.includes(`-port ${dynamoPort}`));
    expect(javaProcesses).toEqual([]);
  });
});
