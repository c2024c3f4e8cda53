// What every import use-case is given: clients, physical resource names and the knobs tests turn.
// Handlers build it once per container; tests build it from their isolated resources.

import type { ArchiveResources } from '../aws/archiveResources';
import type { AwsClients } from '../aws/awsClients';
import type { JobStoreContext } from './job/jobStoreContext';
import type { RetryBackoff } from '../aws/retryBackoff';
import type { StoreContext } from '../archive/storeContext';

export interface ImportContext {
  clients: AwsClients;
  /**
   * Resource names. Handlers pass an object whose fields read SST's `Resource` on first use: a
   * function is only linked to what it touches, and reading another link throws.
   */
  resources: ArchiveResources;
  now?: () => Date;
  /** Store backoff (tests use one that does not sleep). */
  backoff?: RetryBackoff;
  /** Where use-cases report what they decided (rejected keys, skipped steps); console by default. */
  log?: (message: string, details?: Record<string, unknown>) => void;
  /**
   * false: chunks write the archive but not the search index. Only to measure what indexing adds
   * to an import (the bench); such an archive finds nothing until `threadline reindex`.
   */
  indexForSearch?: boolean;
}

/** The job repository's view of the context. `bucket` stays lazy (see `resources`). */
export function jobContextOf(ctx: ImportContext): JobStoreContext {
  return {
    clients: ctx.clients,
    tables: ctx.resources.tables,
    get bucket() {
      return ctx.resources.bucket;
    },
    ...(ctx.now ? { now: ctx.now } : {}),
  };
}

/** The conversation store's view of the context. */
export function storeContextOf(ctx: ImportContext): StoreContext {
  return {
    clients: ctx.clients,
    resources: ctx.resources,
    ...(ctx.backoff ? { backoff: ctx.backoff } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
  };
}

/** One JSON line per entry on stdout: what a Lambda sends to CloudWatch Logs, and the default here. */
export function jsonLineLog(message: string, details?: Record<string, unknown>): void {
  console.log(JSON.stringify({ message, ...details }));
}

export function logImport(ctx: ImportContext, message: string, details?: Record<string, unknown>): void {
  (ctx.log ?? jsonLineLog)(message, details);
}
