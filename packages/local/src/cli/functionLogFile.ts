import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionLog } from '../app/localSystem';

/**
 * The handlers' log for a CLI process that runs the system itself: it keeps stdout for its
 * results (`--json` must be one JSON object), so their lines are appended to
 * `<dataDir>/functions.log`. Synchronous: commands end with process.exit.
 */
export function functionLogFile(dataDir: string): FunctionLog {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'functions.log');
  return (message, details) => appendFileSync(path, `${new Date().toISOString()} ${JSON.stringify({ message, ...details })}\n`);
}
