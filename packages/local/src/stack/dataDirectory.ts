import { join, resolve } from 'node:path';

/** Where the persistent local stack keeps its data: `$THREADLINE_HOME`, else `.threadline/` in the cwd. */
export function resolveDataDirectory(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return env.THREADLINE_HOME ? resolve(cwd, env.THREADLINE_HOME) : join(cwd, '.threadline');
}

/** The sub-directories each local part owns inside a data directory. */
export function dataDirectoryLayout(dataDir: string): { dynamoDb: string; s3: string } {
  return { dynamoDb: join(dataDir, 'dynamodb'), s3: join(dataDir, 's3') };
}
