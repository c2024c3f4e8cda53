import { DescribeTableCommand, DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetBucketCorsCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResources } from '../../src/stack/createResources';
import { useIsolatedResources, type IsolatedResources } from '../../../../test/support/isolatedResources';

describe('createResources', () => {
  let archive: IsolatedResources;
  let dynamo: DynamoDBClient;
  beforeAll(async () => {
    archive = await useIsolatedResources('create resources');
    dynamo = archive.clients.dynamo as unknown as DynamoDBClient;
  });

  it('creates Conversations with pk/sk keys and the byUser GSI projecting ALL', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: archive.tables.Conversations }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema, index.Projection])).toEqual([
      [
        'byUser',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'INCLUDE', NonKeyAttributes: expect.arrayContaining(['title', 'message_count', 'content_hash']) },
      ],
    ]);
  });

  it('creates Imports with TTL on expires_at and no GSI', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: archive.tables.Imports }));
    expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
    const { TimeToLiveDescription } = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: archive.tables.Imports }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
  });

  it('creates the bucket with permissive CORS', async () => {
    await archive.clients.s3.send(new HeadBucketCommand({ Bucket: archive.bucket }));
    const { CORSRules } = await archive.clients.s3.send(new GetBucketCorsCommand({ Bucket: archive.bucket }));
    expect(CORSRules?.[0]?.AllowedOrigins).toEqual(['*']);
    expect(CORSRules?.[0]?.AllowedMethods).toContain('POST');
  });

  it('is idempotent: creating the same resources again keeps them', async () => {
    const prefix = archive.bucket.replace(/-archive$/, '');
    const again = await createResources(archive.clients, prefix);
    expect(again).toEqual({ tables: archive.tables, bucket: archive.bucket });
  });

  it('rejects a prefix that cannot name a bucket', async () => {
    await expect(createResources(archive.clients, 'Not_Valid')).rejects.toThrow(/lowercase/);
  });
});
