// What the job adapter, the lock and the report writer need: clients and physical names
// (`ArchiveResources & { clients }`, as handlers and the test harness build it, fits), and
// optionally a clock so tests can move time (lease expiry) without sleeping.

import type { AwsClients } from '../../aws/awsClients';
import type { ArchiveResources } from '../../aws/archiveResources';

export interface JobStoreContext {
  clients: Pick<AwsClients, 'dynamo' | 's3'>;
  tables: Pick<ArchiveResources['tables'], 'Imports'>;
  bucket: ArchiveResources['bucket'];
  now?: () => Date;
}

export function currentTime(ctx: JobStoreContext): Date {
  return ctx.now ? ctx.now() : new Date();
}
