import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { claimDataDirectory, DataDirectoryInUse, systemStatePath } from '../app/systemStateFile';
import { dataDirectoryLayout, resolveDataDirectory } from '../stack/dataDirectory';

/**
 * `threadline reset`: deletes the local archive (DynamoDB files, S3 files, the state file).
 * Only those: THREADLINE_HOME may point at a directory that holds other things too.
 */
export function resetCommand(fail: (error: unknown) => never): Command {
  return new Command('reset')
    .description('Delete all local data (tables and stored files) in the data directory')
    .option('-y, --yes', 'do not ask for confirmation', false)
    .action(async (options: { yes: boolean }) => {
      const removed = await resetDataDirectory(resolveDataDirectory(), options.yes).catch(fail);
      process.stderr.write(removed ? 'local data deleted\n' : 'nothing deleted\n');
      process.exit(0);
    });
}

export async function resetDataDirectory(dataDir: string, confirmed: boolean): Promise<boolean> {
  const layout = dataDirectoryLayout(dataDir);
  const targets = [layout.dynamoDb, layout.s3, systemStatePath(dataDir), join(dataDir, 'functions.log')].filter((path) => existsSync(path));
  if (targets.length === 0) return false;
  // Claimed like a starting system would, so no system can start (or run) while files go.
  let release: () => Promise<void>;
  try {
    release = await claimDataDirectory(dataDir);
  } catch (error) {
    if (error instanceof DataDirectoryInUse) throw new Error(`a local system is running on ${dataDir} (pid ${error.pid}); stop it first`);
    throw error;
  }
  try {
    if (!confirmed && !(await confirm(`delete all local Threadline data in ${dataDir}? [y/N] `))) return false;
    for (const target of targets) await rm(target, { recursive: true, force: true });
  } finally {
    await release();
  }
  if ((await readdir(dataDir)).length === 0) await rm(dataDir, { recursive: true, force: true });
  return true;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error('refusing to delete without confirmation: pass --yes');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
