// The DynamoDB tables, defined once: sst.config.ts deploys them, the local stack creates them,
// the store and the job adapter address them. Keys are generic (pk/sk, gsi1pk/gsi1sk) so one
// table holds several item kinds (single-table style per bounded context); each table's key
// attributes and prefixes are defined by its key module and only read here.

import { conversationSummaryAttributes } from './conversationItems';
import { conversationsTableAttributes } from './conversationKeys';
import { importsTableAttributes } from '../importWorkflow/job/importsTableKeys';

export interface TableSchema {
  /** Logical name: the SST resource name, and the table name suffix locally. */
  readonly name: 'Conversations' | 'Imports';
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalIndexes: readonly {
    name: string;
    partitionKey: string;
    sortKey: string;
    /** Non-key attributes the index carries; keys are always projected. */
    projectedAttributes: readonly string[];
  }[];
  /** Attribute holding an epoch-seconds expiry, if the table uses TTL. */
  readonly ttlAttribute?: string;
}

/**
 * Conversations: partition `USER#<userId>#CONV#<conversationId>`, items `META` and `PAGE#<000002>`
 * (16 messages each; one Query returns the thread in order; layout 1's `MSG#<000042>` are read and
 * migrated, see archiveLayout.ts), plus the `ARCHIVE`/`LAYOUT` marker item and one `USER#<userId>#LAYOUT`/`LAYOUT` per user migrated alone. META items alone carry `gsi1pk = USER#<userId>` and
 * `gsi1sk = <create_time>#<conversationId>`, a sparse index listing a user's conversations.
 * The export's files have partitions of their own (`USER#<userId>#FILE#…`, `…#CONVFILES#…`,
 * `…#ASSET#<sha256>`; see assetKeys.ts), so conversation partitions hold only META and messages.
 */
export const conversationsTable: TableSchema = {
  name: 'Conversations',
  partitionKey: conversationsTableAttributes.partitionKey,
  sortKey: conversationsTableAttributes.sortKey,
  // Only the summary fields: a listing page must not carry transcripts (DynamoDB cuts a Query at
  // 1 MB, and an index write costs by the projected size).
  globalIndexes: [{ ...conversationsTableAttributes.byUserIndex, projectedAttributes: conversationSummaryAttributes }],
};

/** Imports: partition `USER#<userId>`, items `IMPORT#<importId>` and `LOCK`. */
export const importsTable: TableSchema = {
  name: 'Imports',
  partitionKey: importsTableAttributes.partitionKey,
  sortKey: importsTableAttributes.sortKey,
  globalIndexes: [],
  ttlAttribute: importsTableAttributes.expiresAt,
};

export const tableSchemas = [conversationsTable, importsTable] as const;
