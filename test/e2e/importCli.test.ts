import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThreadline } from './support/threadlineCli';
import { jobCountNames } from '@threadline/core/importWorkflow/job/importJob';
import { startLocalSystem, type LocalSystem } from '@threadline/local/app/localSystem';
import { systemStatePath } from '@threadline/local/app/systemStateFile';
import { generateExport } from '@threadline/generator/generateExport';
import { conversationsOf, readExportZip, writeExportZip } from './support/exportFiles';

// `threadline import` as a user runs it: a subprocess of the real bin, with THREADLINE_HOME in a
// temp dir. First alone (it starts the system itself, persistent), then while another process
// runs the system on that data dir (it must use that one, found through system.json).

let home: string;
let exportPath: string;
let poisonedPath: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'threadline-cli-'));
  exportPath = join(home, 'export.zip');
  await generateExport({ conversations: 30, seed: 5, out: exportPath });
  const files = await readExportZip(exportPath);
  const conversations = conversationsOf(files);
  conversations.push(42);
  poisonedPath = join(home, 'poisoned.zip');
  await writeExportZip(poisonedPath, files, { 'conversations.json': conversations });
});
afterAll(() => rm(home, { recursive: true, force: true }));

const threadline = (...args: string[]) => runThreadline(home, ...args);

describe('the threadline CLI', () => {
  it('imports with --json: exit 0 and the job record as one JSON object', async () => {
    const result = await threadline('import', exportPath, '--json');
    expect(result.code, result.stderr).toBe(0);
    const job = JSON.parse(result.stdout);
    expect(Object.keys(job)).toEqual(expect.arrayContaining(['status', 'error', 'failures', 'counts', 'import_id']));
    expect(Object.keys(job.counts)).toEqual(expect.arrayContaining([...jobCountNames]));
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null, failures: [], user_id: 'local' });
    expect(job.counts).toMatchObject({ conversations_total: 30, conversations_created: 30 });
    expect(existsSync(systemStatePath(home))).toBe(false);
    // The handlers logged through the CLI's logger, into the data dir, not onto stdout.
    const logged = (await readFile(join(home, 'functions.log'), 'utf8')).split('\n').filter(Boolean);
    expect(logged.some((line) => line.includes('"message":"start-import: started"') && line.includes(job.import_id))).toBe(true);
  });

  describe('while another process runs the system on the same data dir', () => {
    let system: LocalSystem;
    beforeAll(async () => {
      system = await startLocalSystem({ dataDir: home });
    });
    afterAll(() => system?.stop());

    it('uses that system, diffs against the earlier import, and exits 2 on PARTIAL', async () => {
      const result = await threadline('import', poisonedPath, '--json');
      expect(result.code, result.stderr).toBe(2);
      const job = JSON.parse(result.stdout);
      expect(job.status).toBe('PARTIAL');
      expect(job.counts).toMatchObject({ conversations_unchanged: 30, conversations_failed: 1, messages_put: 0 });
      expect(job.failures).toEqual([expect.objectContaining({ index: 30 })]);
      // It ran here: the execution is in this process's registry, beside the first import's,
      // which ran in the earlier CLI process and was read back from the data dir's history.
      const executions = system.registry.list(system.workflowArn);
      expect(executions.map((e) => e.name)).toHaveLength(2);
      expect(executions[0]!.name).toBe(job.import_id);
      expect(executions[1]!.status).toBe('SUCCEEDED');
      expect(executions[1]!.history.at(-1)!.type).toBe('ExecutionSucceeded');

      const listed = await threadline('conversations', '--json');
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toHaveLength(30);
    });

    it('refuses to reset a running system', async () => {
      const result = await threadline('reset', '--yes');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/running/);
    });
  });

  it('resets the data dir once nothing runs', async () => {
    const result = await threadline('reset', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(home, 'dynamodb'))).toBe(false);
    expect(existsSync(join(home, 's3'))).toBe(false);
  });
});
