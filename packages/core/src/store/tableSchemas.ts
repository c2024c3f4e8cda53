// The DynamoDB tables, defined once: sst.config.ts deploys them, the local stack creates them,
// the store and the job adapter address them. Keys are generic (pk/sk, gsi1pk/gsi1sk) so one
// table holds several item kinds (single-table style per bounded context).

export interface TableSchema {
  /** Logical name: the SST resource name, and the table name suffix locally. */
  readonly name: 'Conversations' | 'Imports';
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalIndexes: readonly { name: string; partitionKey: string; sortKey: string }[];
  /** Attribute holding an epoch-seconds expiry, if the table uses TTL. */
  readonly ttlAttribute?: string;
}

/**
 * Conversations: partition `USER#<userId>#CONV#<conversationId>`, items `META` and `MSG#<000042>`
 * (one Query returns the thread in order). META items alone carry `gsi1pk = USER#<userId>` and
 * `gsi1sk = <create_time>#<conversationId>`, a sparse index listing a user's conversations.
 */
export const conversationsTable: TableSchema = {
  name: 'Conversations',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [{ name: 'byUser', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
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
