import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import { localCredentials, localRegion } from '../../src/stack/localCredentials';
import { startS3Server, type S3Server } from '../../src/stack/s3Server';

// The run's shared s3rver lives in vitest's main process, so its events cannot reach a worker:
// a test that listens for events starts its own s3rver (in-process, ~10 ms).
describe('s3Server events', () => {
  let directory: string;
  let server: S3Server;
  let clients: AwsClients;
  let bucket: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'threadline-s3-events-'));
    server = await startS3Server({ directory });
    clients = createAwsClients({
      AWS_ENDPOINT_URL_S3: server.endpoint,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    });
    bucket = 'events-test-archive';
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('emits ObjectCreated:Put with the bucket and the key, not URL-encoded', async () => {
    const key = 'imports/user 1/import-1.zip';
    const received = once(server.events, 'event') as Promise<[S3Event]>;
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'zip bytes' }));
    const [event] = await received;
    const [record] = event.Records;
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.bucket.name).toBe(bucket);
    expect(record.s3.object.key).toBe(key); // real S3 would send imports/user+1/import-1.zip
    expect(record.s3.object.size).toBe('zip bytes'.length);
  });
});
