// The DynamoDB tables, defined once: sst.config.ts deploys them, the local stack creates them,
// the store and the job adapter address them. Keys are generic (pk/sk, gsi1pk/gsi1sk) so one
// table holds several item kinds (single-table style per bounded context).

import { conversationSummaryAttributes } from './conversationItems';

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
 * migrated, see archiveLayout.ts), plus one `ARCHIVE`/`LAYOUT` marker item. META items alone carry `gsi1pk = USER#<userId>` and
 * `gsi1sk = <create_time>#<conversationId>`, a sparse index listing a user's conversations.
 * The export's files have partitions of their own (`USER#<userId>#FILE#…`, `…#CONVFILES#…`,
 * `…#ASSET#<sha256>`; see assetKeys.ts), so conversation partitions hold only META and messages.
 */
export const conversationsTable: TableSchema = {
  name: 'Conversations',
  partitionKey: 'pk',
  sortKey: 'sk',
  // Only the summary fields: a listing page must not carry transcripts (DynamoDB cuts a Query at
  // 1 MB, and an index write costs by the projected size).
  globalIndexes: [{ name: 'byUser', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projectedAttributes: conversationSummaryAttributes }],
};

/** Imports: partition `USER#<userId>`, items `IMPORT#<importId>` and `LOCK`. */
export const importsTable: TableSchema = {
  name: 'Imports',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [],
  ttlAttribute: 'expires_at',
};

export const tableSchemas = [conversationsTable, importsTable] as const;
