// The store context a test file works with: isolated tables and bucket on the run's local stack,
// and a backoff that never sleeps.

import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { defaultRetryBackoff } from '../../src/aws/retryBackoff';
import type { StoreContext } from '../../src/archive/storeContext';

export async function createStoreTestContext(label: string): Promise<StoreContext> {
  const isolated = await useIsolatedResources(label);
  return {
    clients: isolated.clients,
    resources: { tables: isolated.tables, bucket: isolated.bucket },
    backoff: { ...defaultRetryBackoff, sleep: async () => {} },
  };
}
