import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

/**
 * The handlers log with console.log, which goes to CloudWatch on AWS. A CLI process that runs the
 * system itself keeps stdout for its results (`--json` must be one JSON object), so their lines
 * are appended to `<dataDir>/functions.log` instead. Synchronous: commands end with process.exit.
 */
export function sendFunctionLogsTo(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'functions.log');
  const append = (...args: unknown[]) => appendFileSync(path, `${new Date().toISOString()} ${format(...args)}\n`);
  console.log = append;
  console.info = append;
  return path;
}
