import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import { createResources } from '@threadline/local/stack/createResources';
import '../setup/localPartsContext';

export type IsolatedResources = ArchiveResources & { clients: AwsClients };

/**
 * Fresh tables and bucket for one test file, on the run's shared local stack, under a unique
 * name prefix so files never see each other's data. Call it in beforeAll. It also points this
 * worker's process.env at the local stack, so code that builds its own clients from process.env
 * (handlers) reaches the same parts.
 */
export async function useIsolatedResources(label = 'test'): Promise<IsolatedResources> {
  const { env } = inject('localParts');
  Object.assign(process.env, env);
  const readableLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'test';
  const namePrefix = `${readableLabel}-${randomBytes(4).toString('hex')}`;
  const clients = createAwsClients(env);
  const resources = await createResources(clients, namePrefix);
  return { ...resources, clients };
}
