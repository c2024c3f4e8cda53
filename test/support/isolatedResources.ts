import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import { createResources } from '@threadline/local/stack/createResources';
import '../setup/localPartsContext';

export type IsolatedResources = ArchiveResources & { clients: AwsClients };

/**
 * Fresh tables and bucket for one test file, on the run's shared local stack, under a unique
 * name prefix so files never see each other's data. Call it in beforeAll. Code under test gets
 * the returned clients in its context (nothing reads process.env).
 */
export async function useIsolatedResources(label = 'test'): Promise<IsolatedResources> {
  const { env } = inject('localParts');
  const readableLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'test';
  const namePrefix = `${readableLabel}-${randomBytes(4).toString('hex')}`;
  const clients = createAwsClients(env);
  const resources = await createResources(clients, namePrefix);
  return { ...resources, clients };
}
