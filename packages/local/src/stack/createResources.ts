import {
  CreateTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import type { AwsClients } from '@threadline/core/aws/awsClients';
import { tableSchemas, type TableSchema } from '@threadline/core/archive/tableSchemas';
import { permissiveCorsRules } from './s3Server';

/**
 * Creates the system's tables (from `tableSchemas`) and its bucket on the local parts, named
 * `<namePrefix>-Conversations`, `<namePrefix>-Imports` and `<namePrefix>-archive`. Idempotent:
 * what already exists is kept, so a persistent stack can call it on every start.
 * `namePrefix` must be a valid bucket name start: lowercase letters, digits and hyphens.
 */
export async function createResources(clients: AwsClients, namePrefix: string): Promise<ArchiveResources> {
  const resources = resourceNames(namePrefix);
  // The document client sends plain DynamoDB commands through its wrapped client.
  const dynamo = clients.dynamo as unknown as DynamoDBClient;
  await Promise.all([
    ...tableSchemas.map((schema) => createTable(dynamo, resources.tables[schema.name], schema)),
    createBucket(clients, resources.bucket),
  ]);
  return resources;
}

/** The names createResources gives the tables and bucket of `namePrefix`. */
export function resourceNames(namePrefix: string): ArchiveResources {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(namePrefix)) {
    throw new Error(`name prefix "${namePrefix}" must be 1-41 lowercase letters, digits or hyphens`);
  }
  return {
    tables: { Conversations: `${namePrefix}-Conversations`, Imports: `${namePrefix}-Imports` },
    bucket: `${namePrefix}-archive`,
  };
}

async function createTable(dynamo: DynamoDBClient, tableName: string, schema: TableSchema): Promise<void> {
  const keyAttributes = new Set([schema.partitionKey, schema.sortKey]);
  for (const index of schema.globalIndexes) keyAttributes.add(index.partitionKey).add(index.sortKey);
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: schema.partitionKey, KeyType: 'HASH' },
          { AttributeName: schema.sortKey, KeyType: 'RANGE' },
        ],
        ...(schema.globalIndexes.length > 0
          ? {
              GlobalSecondaryIndexes: schema.globalIndexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
              })),
            }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // DynamoDB Local creates tables ACTIVE at once; the waiter keeps this honest elsewhere.
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  if (schema.ttlAttribute) await enableTimeToLive(dynamo, tableName, schema.ttlAttribute);
}

async function enableTimeToLive(dynamo: DynamoDBClient, tableName: string, attributeName: string): Promise<void> {
  try {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
      }),
    );
  } catch (error) {
    // Re-enabling answers ValidationException "TimeToLive is already enabled": that is our goal.
    if (!/already enabled/i.test((error as Error).message)) throw error;
  }
}

async function createBucket(clients: AwsClients, bucket: string): Promise<void> {
  try {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  await clients.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: permissiveCorsRules } }));
}
