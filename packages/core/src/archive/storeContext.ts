// What every store operation is given explicitly: clients, resource names, and the knobs tests
// turn (backoff without sleeping, injected faults). No globals, no environment reading.

import type { ArchiveResources } from '../aws/archiveResources';
import type { AwsClients } from '../aws/awsClients';
import type { RetryBackoff } from '../aws/retryBackoff';

export interface StoreFaults {
  /** Runs after a changed conversation's stored state was read, before anything is written. */
  beforeMessageWrites?: (conversationId: string) => void | Promise<void>;
  /** Runs after a conversation's messages and objects are written, before its META commit. */
  beforeMetaCommit?: (conversationId: string) => void | Promise<void>;
  /** Runs after the META commit, before replaced layout-1 items and obsolete objects are deleted. */
  afterMetaCommit?: (conversationId: string) => void | Promise<void>;
}

export interface StoreContext {
  clients: Pick<AwsClients, 'dynamo' | 's3'>;
  resources: ArchiveResources;
  backoff?: RetryBackoff;
  faults?: StoreFaults;
  /** Changed conversations whose stored messages are read at once within a chunk. */
  concurrency?: number;
  /** BatchWriteItem calls in flight at once within a chunk (the chunk's writes share them). */
  batchWritesInFlight?: number;
  now?: () => Date;
}
