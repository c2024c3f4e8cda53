import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import { interruptionReasons } from '@threadline/core/importWorkflow/job/executionInterruption';
import type { ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { readImportLock } from '@threadline/core/importWorkflow/job/importLock';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
import { listJobs } from '@threadline/core/importWorkflow/job/jobListing';
import { importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import { startLocalSystem } from '@threadline/local/app/localSystem';
import { isProcessAlive, readSystemState } from '@threadline/local/app/systemStateFile';
import { generateExport } from '@threadline/generator/generateExport';
import type { HistoryEvent } from '@threadline/local/stepFunctions/executionRegistry';
import { archivedConversations, convertedConversations } from './support/archiveContents';

// A user's `threadline import` dies mid-import (a closed laptop, a crash): the whole process
// group — the CLI, its DynamoDB Local JVM, its s3rver — is SIGKILLed at a known step (a test-only
// pause hook stops the import there and says so). Then, as the user would: list imports, import
// again (or retry), and the archive must be what an uninterrupted import writes (the reference is
// `convert`'s output, which an uninterrupted import equals: importPipeline.test.ts).

const bin = join(import.meta.dirname, '../../packages/local/bin/threadline.mjs');
/** Each step starts DynamoDB Local on disk (a JVM) and imports: slow on a busy 2-core machine. */
const cliStepTimeoutMs = 240_000;
let workDir: string;
let exportPath: string;
let reference: Awaited<ReturnType<typeof convertedConversations>>;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'threadline-killed-'));
  exportPath = join(workDir, 'export.zip');
  await generateExport({ conversations: 14, seed: 141, out: exportPath });
  reference = await convertedConversations(exportPath, join(workDir, 'reference.jsonl'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** A clean env for the CLI: its own data dir, 4 conversations per chunk (4 chunks here). */
function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, THREADLINE_HOME: home, THREADLINE_CHUNK_CONVERSATIONS: '4', ...extra };
}

/** Runs the CLI in its own process group; past the step's time it kills the group (CLI, JVM), so nothing outlives the test. */
async function threadline(home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: cliEnv(home), cwd: home, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), cliStepTimeoutMs - 10_000);
  const code = await new Promise<number>((resolve) => child.once('close', (exitCode) => resolve(exitCode ?? -1)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Starts `threadline import` in its own process group, waits until it paused at `point`, kills the group. */
async function importKilledAt(home: string, point: string): Promise<void> {
  const pauseFile = join(home, 'paused');
  const child = spawn(process.execPath, [bin, 'import', exportPath, '--json'], {
    env: cliEnv(home, { THREADLINE_TEST_PAUSE: point, THREADLINE_TEST_PAUSE_FILE: pauseFile }),
    cwd: home,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + cliStepTimeoutMs - 30_000;
  while (!existsSync(pauseFile)) {
    if (child.exitCode !== null) throw new Error(`the import ended before pausing at ${point}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`the import never paused at ${point}: ${stderr}`);
    await sleep(100);
  }
  const systemPid = (await readSystemState(home))?.pid;
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  // The system runs in the CLI's re-executed child, which dies a moment after the CLI: wait until
  // it is gone, or the next command would take its stale system.json for a live system.
  while (systemPid && isProcessAlive(systemPid)) {
    if (Date.now() > deadline) throw new Error(`the killed system (pid ${systemPid}) is still alive`);
    await sleep(50);
  }
}


const enteredStates = (history: readonly HistoryEvent[]) =>
  history.filter((e) => e.type.endsWith('StateEntered')).map((e) => (e.stateEnteredEventDetails as { name: string }).name);

describe.each([
  // Split's first read of the upload never gets an answer: the job is SPLITTING.
  { during: 'split', point: 's3:GET:imports/:1', stage: 'SPLITTING', inState: importStateNames.split, next: 'import' },
  // Two chunks are written and counted, the others may or may not be.
  { during: 'the chunks', point: `${importStateNames.processChunk}:after:2`, stage: 'PROCESSING', inState: importStateNames.processChunks, next: 'retry' },
  // Finalize has entered FINALIZING and is reading the Map's results.
  { during: 'finalize', point: 's3:GET:work/map-runs/:1', stage: 'FINALIZING', inState: importStateNames.finalize, next: 'import' },
])('an import killed during $during', ({ point, stage, inState, next: nextStep }) => {
  let home: string;
  let killedId: string;
  let following: ImportJob;

  beforeAll(async () => {
    home = await mkdtemp(join(workDir, 'home-'));
    await importKilledAt(home, point);
  }, cliStepTimeoutMs);

  it(`restarts with the next ${nextStep}, which starts at once and succeeds`, async () => {
    killedId = (await readdir(join(home, 'executions'))).map((file) => file.split('.')[1]!)[0]!;
    const result = nextStep === 'retry' ? await threadline(home, 'retry', killedId, '--json') : await threadline(home, 'import', exportPath, '--json');
    expect(result.code, result.stderr).toBe(0);
    following = JSON.parse(result.stdout) as ImportJob;
    expect(following.status).toBe('SUCCEEDED');
    expect(following.import_id).not.toBe(killedId);
    expect(following.counts.conversations_total).toBe(reference.length);
  }, cliStepTimeoutMs);

  it('left the killed import FAILED with its reason, no lock, both histories on disk, and exactly the export stored', async () => {
    const system = await startLocalSystem({ dataDir: home });
    try {
      const jobCtx = { ...system, tables: system.resources.tables, bucket: system.resources.bucket };
      const { jobs } = await listJobs(jobCtx, 'local');
      expect(jobs.map((job) => job.import_id).sort()).toEqual([killedId, following.import_id].sort());
      const killed = await getJob(jobCtx, { userId: 'local', importId: killedId });
      expect(killed).toMatchObject({ status: 'FAILED', stage, interrupted: true, error: interruptionReasons.localSystemStopped });
      if (nextStep === 'retry') expect(following.source).toEqual(killed!.source);
      expect(await readImportLock(jobCtx, 'local')).toBeNull();
      // The killed execution, read back from disk: stopped where the process died.
      const dead = system.registry.describe(executionArnOf(system.workflowArn, killedId));
      expect(dead).toMatchObject({ status: 'ABORTED', error: 'LocalSystemStopped' });
      expect(dead.history.at(-1)!.type).toBe('ExecutionAborted');
      expect(enteredStates(dead.history).at(-1)).toBe(inState);
      // The next one never waited for the lock: AcquireLock ran once.
      const next = system.registry.describe(executionArnOf(system.workflowArn, following.import_id));
      expect(next.status).toBe('SUCCEEDED');
      expect(enteredStates(next.history).filter((name) => name === importStateNames.acquireLock)).toHaveLength(1);
      expect(await archivedConversations(system, 'local')).toEqual(reference);
    } finally {
      await system.stop();
    }
  }, cliStepTimeoutMs);
});
