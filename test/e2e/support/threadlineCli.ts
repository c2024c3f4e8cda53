import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The `threadline` bin as a user runs it. */
export const threadlineBin = join(import.meta.dirname, '../../../packages/local/bin/threadline.mjs');

/**
 * Runs `threadline <args>` with `home` as THREADLINE_HOME and working directory, in a clean env:
 * nothing of the test worker's local stack may leak into the CLI. Never throws on a non-zero exit.
 */
export async function runThreadline(home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, THREADLINE_HOME: home };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [threadlineBin, ...args], { env, cwd: home, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
