import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { dataDirectoryLayout, resolveDataDirectory } from './dataDirectory';
import { startDynamoDbLocal } from './dynamoDbLocal';
import { localPartsEnvironment } from './localCredentials';
import { startS3Server } from './s3Server';
import type { TestPause } from '../app/testPause';

export interface LocalStackOptions {
  /** Where persistent data lives; default `$THREADLINE_HOME` or `./.threadline`. */
  dataDir?: string;
  /** DynamoDB in memory and S3 files in a temp dir (unless dataDir is given): nothing survives stop(). */
  inMemory?: boolean;
  /** s3rver never answers this request (test-only, see testPause.ts). */
  testPause?: TestPause;
}

export interface LocalStack {
  endpoints: { dynamodb: string; s3: string };
  /** The env that points the AWS SDK (createAwsClients, handlers) at the local parts. */
  env: Record<string, string>;
  /** s3rver notifications; keys are NOT URL-encoded here (real S3's are). */
  s3Events: EventEmitter<{ event: [S3Event] }>;
  stop(): Promise<void>;
}

/** DynamoDB Local and s3rver, started side by side, with the env that addresses them. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const inMemory = options.inMemory ?? false;
  const dataDir = options.dataDir ?? (inMemory ? undefined : resolveDataDirectory());
  const temporaryS3Directory = dataDir ? undefined : await mkdtemp(join(tmpdir(), 'threadline-s3-'));
  const s3Directory = temporaryS3Directory ?? dataDirectoryLayout(dataDir!).s3;

  const [dynamoResult, s3Result] = await Promise.allSettled([
    startDynamoDbLocal(inMemory ? {} : { dbPath: dataDirectoryLayout(dataDir!).dynamoDb }),
    startS3Server({ directory: s3Directory, testPause: options.testPause }),
  ]);
  if (dynamoResult.status === 'rejected' || s3Result.status === 'rejected') {
    if (dynamoResult.status === 'fulfilled') await dynamoResult.value.stop();
    if (s3Result.status === 'fulfilled') await s3Result.value.stop();
    if (temporaryS3Directory) await rm(temporaryS3Directory, { recursive: true, force: true });
    throw dynamoResult.status === 'rejected' ? dynamoResult.reason : (s3Result as PromiseRejectedResult).reason;
  }
  const dynamo = dynamoResult.value;
  const s3 = s3Result.value;

  return {
    endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint },
    env: localPartsEnvironment({ dynamodb: dynamo.endpoint, s3: s3.endpoint }),
    s3Events: s3.events,
    stop: async () => {
      await Promise.allSettled([dynamo.stop(), s3.stop()]);
      if (temporaryS3Directory) await rm(temporaryS3Directory, { recursive: true, force: true });
    },
  };
}
