import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Event } from 'aws-lambda';
import { objectKeys } from '@threadline/core/archive/objectKeys';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import type { ApiContext } from '@threadline/core/httpApi/apiTypes';
import type { ImportContext } from '@threadline/core/importWorkflow/importContext';
import { defaultChunkLimits } from '@threadline/core/importWorkflow/steps/chunkWriter';
import type { ImportHandlerContext } from '@threadline/functions/import/importHandlers';
import { executionStatusChangePattern, workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';
import { migrateArchiveLayout } from '@threadline/core/archive/migrateArchiveLayout';
import { importStateMachineDefinition } from '@threadline/core/importWorkflow/importStateMachine';
import type { LambdaStyleContext } from '../engine/localStateMachine';
import { createResources } from '../stack/createResources';
import { resolveDataDirectory } from '../stack/dataDirectory';
import { startLocalStack } from '../stack/localStack';
import { localPartsEnvironment, localRegion } from '../stack/localCredentials';
import { startS3Server } from '../stack/s3Server';
import { ExecutionRegistry, localSystemStopped } from '../stepFunctions/executionRegistry';
import { ExecutionJournal } from '../stepFunctions/executionJournal';
import { startStepFunctionsEndpoint } from '../stepFunctions/stepFunctionsEndpoint';
import { asDeliveredS3Event, isUploadCreated } from './deliveredS3Event';
import { executionStatusChangeEventOf, matchesEventPattern } from './executionStatusChangeEvent';
import { reconcileUnfinishedImports } from './reconcileAtStart';
import { localImportFunctions, localFunctionArn } from './importFunctions';
import { importWorkflowRunner } from './importWorkflowRunner';
import type { TestPause } from './testPause';
import { claimDataDirectory, removeSystemState, writeSystemState } from './systemStateFile';
import { SearchCache } from '@threadline/core/search/searchCache';

export interface LocalSystemOptions {
  /** Persistent data (DynamoDB -dbPath, s3rver files, system.json); default `$THREADLINE_HOME` or `./.threadline`. */
  dataDir?: string;
  /** Nothing survives stop(); no state file. */
  inMemory?: boolean;
  /** Resource name prefix; `threadline` by default, so a persistent system finds its data again. */
  namePrefix?: string;
  /**
   * Use this running DynamoDB Local instead of starting one; s3rver is then started here, in a
   * temp dir (tests: the run's shared DynamoDB, and upload events in the test's own process).
   */
  dynamoDbEndpoint?: string;
  /** Milliseconds between retries by state name, instead of the definition's (tests). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  maxConcurrency?: number;
  /** Where the handlers log; default one JSON line each on stdout, as a Lambda logs to CloudWatch. */
  log?: FunctionLog;
  /** Conversations per chunk below the default (250): many chunks, so Map behaviour, from small exports (tests). */
  chunkConversations?: number;
  /** The local API switches uploads to multipart above this many bytes (default S3's 5 GB POST limit; tests lower it). */
  multipartAboveBytes?: number;
  /**
   * Migrate an earlier layout's archive when the system starts (default true). Off, the system
   * runs as a deployed table does: each import's Finalize migrates its user (tests of that trigger).
   */
  migrateLayoutAtStart?: boolean;
  /** Finalize's time kept after the layout migration (ms; default 60 s of its 300): tests raise it to run the budget out. */
  layoutMigrationReserveMs?: number;
  /** Stops the system dead at a point of an import (end-to-end tests that kill it there; see testPause.ts). */
  testPause?: TestPause;
  /** false: imports skip the search index (the bench measuring what indexing adds; see ImportContext). */
  indexForSearch?: boolean;
}

/** A handler's log line: a message and its details. */
export type FunctionLog = NonNullable<ImportContext['log']>;

export interface LocalSystem {
  /** The AWS SDK's variables that address this system's parts (endpoints, credentials): for other processes. */
  env: Record<string, string>;
  resources: ArchiveResources;
  clients: AwsClients;
  sfnEndpoint: string;
  workflowArn: string;
  registry: ExecutionRegistry;
  /** What the HTTP API's handler is given here (the local server adds its identity). */
  apiContext: ApiContext;
  /** Set when the system is persistent. */
  dataDir: string | null;
  /** Every upload event handed to start-import, as real S3 would have delivered it. */
  deliveredEvents: S3Event[];
  /** Invokes start-import with an event (a duplicate delivery, say); resolves with its result. */
  invokeStartImport(event: S3Event): Promise<unknown>;
  /** Waits until no start-import invocation and no execution is running. */
  idle(): Promise<void>;
  /** Lets running executions end for `graceMs` (default 10 s), aborts the rest, stops every part. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Lambda's async invocation retries a failed event twice. */
const startImportAttempts = 3;

/**
 * The whole system on this machine: DynamoDB Local and s3rver, the tables and bucket, the local
 * Step Functions endpoint running the deployed workflow definition with the REAL handlers, and
 * s3rver's upload events going to the real start-import handler, shaped as real S3 sends them.
 * The handlers get this system's own context (nothing process-wide), so systems with different
 * name prefixes can run side by side in one process.
 */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const inMemory = options.inMemory ?? false;
  const dataDir = inMemory || options.dynamoDbEndpoint ? null : resolve(options.dataDir ?? resolveDataDirectory());
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    cleanups.push(await claimDataDirectory(dataDir));
  }
  const namePrefix = options.namePrefix ?? 'threadline';
  let graceMs = 10_000;

  try {
    const parts = await startParts(options.dynamoDbEndpoint, dataDir, options.testPause);
    cleanups.push(parts.stop);
    // Persistent systems keep executions on disk: "Workflow steps" outlive a restart.
    const registry = new ExecutionRegistry(dataDir ? new ExecutionJournal(join(dataDir, 'executions')) : undefined);
    const endpoint = await startStepFunctionsEndpoint(registry);
    cleanups.push(endpoint.close);
    const env: Record<string, string> = { ...parts.env, AWS_ENDPOINT_URL_SFN: endpoint.url };
    const clients = createAwsClients(env);
    cleanups.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
    });
    const resources = await createResources(clients, namePrefix);
    // An archive written by an earlier layout is migrated at first use, before the system accepts
    // uploads (no import may run meanwhile); a conversation that cannot be stays readable as it was.
    if (options.migrateLayoutAtStart ?? true) {
      const migration = await migrateArchiveLayout({ clients, resources });
      for (const failure of migration.failures) process.stderr.write(`layout migration: ${failure.reason}\n`);
    }
    const stateMachineName = `${namePrefix}-import`;
    const workflowArn = `arn:aws:states:${localRegion}:000000000000:stateMachine:${stateMachineName}`;
    // What SST's links and the function's environment give a deployed handler, handed over directly.
    const functionContext: ImportHandlerContext = {
      clients,
      resources,
      workflowArn,
      log: options.log ?? stdoutLog,
      ...(options.layoutMigrationReserveMs !== undefined ? { layoutMigrationReserveMs: options.layoutMigrationReserveMs } : {}),
      ...(options.indexForSearch === false ? { indexForSearch: false } : {}),
      ...(options.chunkConversations ? { chunkLimits: { ...defaultChunkLimits, maxConversations: options.chunkConversations } } : {}),
    };
    const apiContext: ApiContext = {
      clients,
      resources,
      workflowArn: () => workflowArn,
      region: localRegion,
      log: functionContext.log,
      searchCache: new SearchCache(),
      ...(options.multipartAboveBytes ? { uploadLimits: { multipartAboveBytes: options.multipartAboveBytes, minPartBytes: 5 * 1024 ** 2 } } : {}),
    };
    const functions = localImportFunctions(functionContext, options.testPause);
    const definition = importStateMachineDefinition({
      functions: {
        acquireLock: localFunctionArn(namePrefix, 'acquire-lock'),
        split: localFunctionArn(namePrefix, 'split'),
        processChunk: localFunctionArn(namePrefix, 'process-chunk'),
        finalize: localFunctionArn(namePrefix, 'finalize'),
        markFailed: localFunctionArn(namePrefix, 'mark-failed'),
      },
      bucket: resources.bucket,
      maxConcurrency: options.maxConcurrency ?? workflowSettings.maxConcurrency,
      toleratedFailurePercentage: workflowSettings.toleratedFailurePercentage,
      resultsPrefix: workflowSettings.resultsPrefix,
    });
    registry.register(
      workflowArn,
      importWorkflowRunner({
        definition,
        taskHandlers: functions.taskHandlers,
        s3: clients.s3,
        stateMachineName,
        retryIntervalOverrides: options.retryIntervalOverrides,
      }),
    );

    const deliveredEvents: S3Event[] = [];
    const inFlight = new Set<Promise<unknown>>();
    const track = (invocation: Promise<unknown>) => {
      inFlight.add(invocation);
      void invocation.finally(() => inFlight.delete(invocation)).catch(() => undefined);
      return invocation;
    };

    // What the previous process left unfinished: its executions are closed ABORTED on restore,
    // their imports finished FAILED, their locks released — before any new import can start.
    registry.restore();
    await reconcileUnfinishedImports(functionContext, registry, workflowArn);

    // EventBridge's rule, locally: closed executions matching the deployed pattern go to the
    // reconcile function, in the event shape AWS sends.
    const statusChangePattern = executionStatusChangePattern(workflowArn);
    registry.onStatusChange((execution) => {
      const event = executionStatusChangeEventOf(execution);
      if (!matchesEventPattern(statusChangePattern, event)) return;
      track(functions.reconcileExecution(event, lambdaContext(namePrefix, 'reconcile-execution'))).catch((error: unknown) => {
        process.stderr.write(`reconcile-execution failed for ${execution.name}: ${(error as Error).message}\n`);
      });
    });
    const invokeStartImport = (event: S3Event) =>
      track(invokeWithRetries(() => functions.startImport(event, lambdaContext(namePrefix, 'start-import'))));
    const onS3Event = (event: S3Event) => {
      // Real S3 only notifies start-import for uploads (bucket.notify filters prefix and suffix).
      if (!isUploadCreated(event, objectKeys.uploadPrefix)) return;
      const delivered = asDeliveredS3Event(event);
      deliveredEvents.push(delivered);
      invokeStartImport(delivered).catch((error: unknown) => {
        process.stderr.write(`start-import failed for ${event.Records[0]?.s3.object.key}: ${(error as Error).message}\n`);
      });
    };
    cleanups.push(async () => {
      // An execution outlives its job's final status (Finalize cleans work files after it):
      // let it end; past the grace period, abort. The abort reaches the reconcile function, which
      // finishes the import FAILED ("the local system stopped") and releases its lock.
      await settledWithin(registry.drain(), graceMs);
      for (const execution of registry.list(workflowArn, 'RUNNING')) registry.stop(execution.executionArn, localSystemStopped.error, localSystemStopped.cause);
      await settledWithin(Promise.all([registry.drain(), Promise.allSettled([...inFlight])]), 5_000);
    });
    parts.s3Events.on('event', onS3Event);
    cleanups.push(async () => {
      parts.s3Events.off('event', onS3Event);
      await Promise.allSettled([...inFlight]);
    });

    if (dataDir) {
      await writeSystemState(dataDir, { pid: process.pid, startedAt: new Date().toISOString(), env, resources, workflowArn });
      cleanups.push(() => removeSystemState(dataDir));
    }

    let stopped: Promise<void> | undefined;
    return {
      env,
      resources,
      clients,
      sfnEndpoint: endpoint.url,
      workflowArn,
      registry,
      apiContext,
      dataDir,
      deliveredEvents,
      invokeStartImport,
      idle: async () => {
        while (inFlight.size > 0 || registry.list(workflowArn, 'RUNNING').length > 0) {
          await Promise.allSettled([...inFlight]);
          await registry.drain();
        }
      },
      stop: (stopOptions = {}) => {
        graceMs = stopOptions.graceMs ?? graceMs;
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface LocalParts {
  env: Record<string, string>;
  s3Events: Awaited<ReturnType<typeof startS3Server>>['events'];
  stop(): Promise<void>;
}

async function startParts(dynamoDbEndpoint: string | undefined, dataDir: string | null, testPause: TestPause | undefined): Promise<LocalParts> {
  if (!dynamoDbEndpoint) {
    const stack = await startLocalStack({ ...(dataDir ? { dataDir } : { inMemory: true }), testPause });
    return { env: stack.env, s3Events: stack.s3Events, stop: stack.stop };
  }
  const s3Directory = await mkdtemp(join(tmpdir(), 'threadline-system-s3-'));
  const s3 = await startS3Server({ directory: s3Directory, testPause });
  return {
    env: localPartsEnvironment({ dynamodb: dynamoDbEndpoint, s3: s3.endpoint }),
    s3Events: s3.events,
    stop: async () => {
      await s3.stop();
      await rm(s3Directory, { recursive: true, force: true });
    },
  };
}

/** A Lambda's log, locally: one JSON line per entry on stdout. */
export function stdoutLog(message: string, details?: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ message, ...details })}\n`);
}

/** Waits for `promise` at most `ms`, without a timer that keeps the process alive afterwards. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function invokeWithRetries(invoke: () => Promise<unknown>): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await invoke();
    } catch (error) {
      if (attempt >= startImportAttempts) throw error;
      await sleep(200 * attempt);
    }
  }
}

function lambdaContext(namePrefix: string, functionName: string): LambdaStyleContext {
  const deadline = Date.now() + 30_000;
  return {
    awsRequestId: randomUUID(),
    functionName: `${namePrefix}-${functionName}`,
    invokedFunctionArn: localFunctionArn(namePrefix, functionName),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
