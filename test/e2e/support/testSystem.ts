import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { importStateNames } from '@threadline/core/importWorkflow/importStateMachine';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '@threadline/local/app/localSystem';
import '../../setup/localPartsContext';

export interface TestSystem {
  system: LocalSystem;
  /** A temp directory for this file's exports; removed after the file. */
  workDir: string;
}

/**
 * The whole local system for one test file: the run's shared DynamoDB Local (fresh tables under
 * a unique prefix) and an s3rver of its own in this worker, because s3rver's upload events fire
 * in the process that runs it. Retries wait briefly instead of the definition's real intervals;
 * the lock waits long enough for another small import to finish.
 */
export function useTestSystem(label: string, options: Pick<LocalSystemOptions, 'chunkConversations' | 'testPause' | 'migrateLayoutAtStart' | 'layoutMigrationReserveMs'> = {}): TestSystem {
  const state = {} as TestSystem;
  beforeAll(async () => {
    const { env } = inject('localParts');
    state.workDir = await mkdtemp(join(tmpdir(), `threadline-e2e-${label}-`));
    state.system = await startLocalSystem({
      dynamoDbEndpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
      namePrefix: `e2e-${label}-${randomBytes(3).toString('hex')}`,
      maxConcurrency: 4,
      retryIntervalOverrides: {
        [importStateNames.acquireLock]: 1_000,
        [importStateNames.split]: 0,
        [importStateNames.processChunk]: 0,
        [importStateNames.finalize]: 0,
        [importStateNames.markFailed]: 0,
      },
      ...options,
    });
  });
  afterAll(async () => {
    await state.system?.stop();
    if (state.workDir) await rm(state.workDir, { recursive: true, force: true });
  });
  return state;
}
