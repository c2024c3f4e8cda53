import { readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { errorClass } from '@threadline/core/errors/errorClass';

// While a persistent local system runs, its data directory holds `system.json`: who runs it and
// how to reach it. DynamoDB Local cannot open one -dbPath twice, and only the process that runs
// s3rver sees its upload events, so a second `threadline` process must use the running system.

export interface SystemState {
  pid: number;
  startedAt: string;
  /** Endpoints and credentials for the AWS SDK (AWS_ENDPOINT_URL_*, AWS_REGION, keys). */
  env: Record<string, string>;
  resources: ArchiveResources;
  workflowArn: string;
}

export function systemStatePath(dataDir: string): string {
  return join(dataDir, 'system.json');
}

export async function writeSystemState(dataDir: string, state: SystemState): Promise<void> {
  // Written whole then renamed: a reader never sees half a file.
  const draft = `${systemStatePath(dataDir)}.${process.pid}.tmp`;
  await writeFile(draft, JSON.stringify(state, null, 2) + '\n');
  await rename(draft, systemStatePath(dataDir));
}

/** Removes the file only if it still names this process (a later system may have replaced it). */
export async function removeSystemState(dataDir: string, pid = process.pid): Promise<void> {
  const state = await readSystemState(dataDir);
  if (state?.pid === pid) await rm(systemStatePath(dataDir), { force: true });
}

export async function readSystemState(dataDir: string): Promise<SystemState | null> {
  try {
    return JSON.parse(await readFile(systemStatePath(dataDir), 'utf8')) as SystemState;
  } catch {
    return null;
  }
}

/** The state of a system that is running now; a file left by a dead process counts as none. */
export async function runningSystemState(dataDir: string): Promise<SystemState | null> {
  const state = await readSystemState(dataDir);
  return state && isProcessAlive(state.pid) ? state : null;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirectoryInUse extends errorClass('DataDirectoryInUse') {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`a local system already runs (or is starting) on ${dataDir} (pid ${pid})`);
  }
}

/**
 * Claims the data directory for this process before any part starts (`system.lock`, created
 * exclusively, holding the pid): two processes starting at once cannot both open the DynamoDB
 * files. A lock left by a dead process is taken over. Returns the release function.
 */
export async function claimDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, 'system.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return async () => {
        const holder = Number(await readFile(lockPath, 'utf8').catch(() => ''));
        if (holder === process.pid) await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (holder && holder !== process.pid && isProcessAlive(holder)) throw new DataDirectoryInUse(dataDir, holder);
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`could not claim ${dataDir}`);
}
