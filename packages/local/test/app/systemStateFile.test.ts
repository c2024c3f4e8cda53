import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { claimDataDirectory, DataDirectoryInUse, readSystemState, removeSystemState, runningSystemState, writeSystemState, type SystemState } from '../../src/app/systemStateFile';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});
const state = (pid: number): SystemState => ({
  pid,
  startedAt: new Date().toISOString(),
  env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' },
  resources: { tables: { Conversations: 'c', Imports: 'i' }, bucket: 'b' },
  workflowArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:threadline-import',
});

describe('the running system state file', () => {
  it('names a live system; a file left by a dead process counts as none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threadline-state-'));
    directories.push(dataDir);
    await writeSystemState(dataDir, state(process.pid));
    expect((await runningSystemState(dataDir))?.pid).toBe(process.pid);

    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeSystemState(dataDir, state(exited));
    expect(await readSystemState(dataDir)).not.toBeNull();
    expect(await runningSystemState(dataDir)).toBeNull();
  });

  it('is removed only by the process it names', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threadline-state-'));
    directories.push(dataDir);
    await writeSystemState(dataDir, state(process.pid + 1));
    await removeSystemState(dataDir);
    expect(await readSystemState(dataDir)).not.toBeNull();
    await writeSystemState(dataDir, state(process.pid));
    await removeSystemState(dataDir);
    expect(await readSystemState(dataDir)).toBeNull();
  });
});

describe('claiming a data directory', () => {
  it('refuses while a live process holds it, takes over from a dead one, and releases', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threadline-claim-'));
    directories.push(dataDir);
    const parent = process.ppid;
    await writeFile(join(dataDir, 'system.lock'), String(parent));
    await expect(claimDataDirectory(dataDir)).rejects.toBeInstanceOf(DataDirectoryInUse);

    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(dataDir, 'system.lock'), String(exited));
    const release = await claimDataDirectory(dataDir);
    await release();
    const again = await claimDataDirectory(dataDir);
    await again();
  });
});
