import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { useIsolatedResources, type IsolatedResources } from '../../../../test/support/isolatedResources';

describe('useIsolatedResources', () => {
  let first: IsolatedResources;
  let second: IsolatedResources;
  beforeAll(async () => {
    [first, second] = await Promise.all([useIsolatedResources('isolation a'), useIsolatedResources('isolation a')]);
  });

  it('gives each caller its own table and bucket names', () => {
    expect(first.tables.Conversations).not.toBe(second.tables.Conversations);
    expect(first.tables.Imports).not.toBe(second.tables.Imports);
    expect(first.bucket).not.toBe(second.bucket);
    expect(first.bucket).toMatch(/^isolation-a-[0-9a-f]{8}-archive$/);
  });

  it('keeps items written to one set out of the other', async () => {
    const item = { pk: 'USER#u1#CONV#c1', sk: 'META', title: 'only in first' };
    await first.clients.dynamo.send(new PutCommand({ TableName: first.tables.Conversations, Item: item }));
    const key = { pk: item.pk, sk: item.sk };
    expect((await first.clients.dynamo.send(new GetCommand({ TableName: first.tables.Conversations, Key: key }))).Item).toEqual(item);
    expect((await second.clients.dynamo.send(new GetCommand({ TableName: second.tables.Conversations, Key: key }))).Item).toBeUndefined();
    expect((await second.clients.dynamo.send(new ScanCommand({ TableName: second.tables.Conversations }))).Count).toBe(0);
  });

  it('keeps objects written to one bucket out of the other', async () => {
    await first.clients.s3.send(new PutObjectCommand({ Bucket: first.bucket, Key: 'imports/u1/i1.zip', Body: 'zip' }));
    const listed = await second.clients.s3.send(new ListObjectsV2Command({ Bucket: second.bucket }));
    expect(listed.KeyCount).toBe(0);
    await expect(second.clients.s3.send(new GetObjectCommand({ Bucket: second.bucket, Key: 'imports/u1/i1.zip' }))).rejects.toThrow();
  });
});
