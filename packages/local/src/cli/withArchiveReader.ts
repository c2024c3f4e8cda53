import { mkdir } from 'node:fs/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import { claimDataDirectory, DataDirectoryInUse, runningSystemState } from '../app/systemStateFile';
import { resourceNames } from '../stack/createResources';
import { dataDirectoryLayout, resolveDataDirectory } from '../stack/dataDirectory';
import { openDynamoDbLocalFile } from '../stack/dynamoDbLocalFile';
import { localPartsEnvironment } from '../stack/localCredentials';
import type { S3Server } from '../stack/s3Server';
import { withLocalSystem } from './withLocalSystem';

/** What a reading command reads through: the store's and job repository's reads, unchanged. */
export interface ArchiveReader {
  clients: Pick<AwsClients, 'dynamo' | 's3'>;
  resources: ArchiveResources;
}

/** The names the persistent local system gives its resources (localSystem's default prefix). */
const localResources = resourceNames('threadline');

/**
 * Runs a reading command (`conversations`, `show`, `imports`) without booting the system: through
 * the running system when there is one, otherwise from DynamoDB Local's data file directly
 * (dynamoDbLocalFile.ts) while holding the data directory's claim, so no system can start and
 * write it meanwhile. Offloaded texts are read through an s3rver on the data directory, started
 * here only if a read needs one. When the file cannot be read directly (an unknown file version,
 * a crashed writer's journal) or a system is starting, it falls back to the system.
 */
export async function withArchiveReader<T>(work: (archive: ArchiveReader) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDirectory();
  if (await runningSystemState(dataDir)) return withLocalSystem(work);
  await mkdir(dataDir, { recursive: true });
  let release: (() => Promise<void>) | undefined;
  try {
    release = await claimDataDirectory(dataDir);
  } catch (error) {
    if (error instanceof DataDirectoryInUse) return withLocalSystem(work);
    throw error;
  }
  try {
    const layout = dataDirectoryLayout(dataDir);
    const file = await openDynamoDbLocalFile(layout.dynamoDb);
    if (!file) {
      await release();
      release = undefined;
      return await withLocalSystem(work);
    }
    const s3 = lazyS3(layout.s3);
    try {
      // The file reader and the lazy S3 answer the commands those reads send: stand-ins at this edge.
      return await work({
        clients: { dynamo: file.dynamo as unknown as DynamoDBDocumentClient, s3: s3.client as unknown as S3Client },
        resources: localResources,
      });
    } finally {
      file.close();
      await s3.stop();
    }
  } finally {
    await release?.();
  }
}

function lazyS3(directory: string) {
  let started: Promise<{ server: S3Server; client: S3Client }> | undefined;
  const start = () =>
    (started ??= import('../stack/s3Server').then(({ startS3Server }) => startS3Server({ directory })).then((server) => ({
      server,
      client: createAwsClients(localPartsEnvironment({ dynamodb: 'http://127.0.0.1:1', s3: server.endpoint })).s3,
    })));
  return {
    client: { send: async (command: Parameters<S3Client['send']>[0]) => (await start()).client.send(command) },
    stop: async () => {
      if (!started) return;
      const { server, client } = await started;
      client.destroy();
      await server.stop();
    },
  };
}
