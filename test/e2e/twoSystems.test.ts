import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { startLocalSystem, type LocalSystem } from '@threadline/local/app/localSystem';
import { generateExport } from '@threadline/generator/generateExport';
import { archivedConversations, convertedConversations } from './support/archiveContents';
import '../setup/localPartsContext';

// Two whole local systems in ONE process, each with its own name prefix, parts, handlers' context
// (clients, names, workflow ARN, logger, chunk size): nothing is process-wide, so imports into
// both at once land each in its own archive, each handler logging to its own system's logger.
// One system runs its own DynamoDB Local in memory, the other the run's: the handlers cannot
// even share an endpoint by accident.

interface Logged {
  message: string;
  details?: Record<string, unknown>;
}

let workDir: string;
const systems: { system: LocalSystem; logged: Logged[] }[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'threadline-two-systems-'));
  const suffix = randomBytes(3).toString('hex');
  const started = await Promise.allSettled(
    [
      { inMemory: true, namePrefix: `first-${suffix}`, chunkConversations: 4 },
      { dynamoDbEndpoint: inject('localParts').env.AWS_ENDPOINT_URL_DYNAMODB, namePrefix: `second-${suffix}` },
    ].map(async (options) => {
      const logged: Logged[] = [];
      const system = await startLocalSystem({ ...options, log: (message, details) => logged.push({ message, details }) });
      systems.push({ system, logged });
      return system;
    }),
  );
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  // In start order: first, second.
  systems.sort((a, b) => (a.system.resources.bucket < b.system.resources.bucket ? -1 : 1));
});

afterAll(async () => {
  await Promise.all(systems.map(({ system }) => system.stop()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('two local systems in one process', () => {
  it('import into both at once, each into its own archive, with its own logger and chunk size', async () => {
    const [first, second] = systems as [(typeof systems)[0], (typeof systems)[0]];
    expect(first.system.resources.bucket).not.toBe(second.system.resources.bucket);
    expect(first.system.workflowArn).not.toBe(second.system.workflowArn);
    expect(first.system.env.AWS_ENDPOINT_URL_S3).not.toBe(second.system.env.AWS_ENDPOINT_URL_S3);
    expect(first.system.env.AWS_ENDPOINT_URL_DYNAMODB).not.toBe(second.system.env.AWS_ENDPOINT_URL_DYNAMODB);

    const firstExport = join(workDir, 'first.zip');
    const secondExport = join(workDir, 'second.zip');
    await Promise.all([
      generateExport({ conversations: 10, seed: 11, out: firstExport }),
      generateExport({ conversations: 7, seed: 12, out: secondExport }),
    ]);
    const userId = 'same-user-in-both';
    const [firstJob, secondJob] = await Promise.all([
      importExportFile(first.system, { filePath: firstExport, userId }),
      importExportFile(second.system, { filePath: secondExport, userId }),
    ]);
    expect(firstJob).toMatchObject({ status: 'SUCCEEDED', counts: { conversations_total: 10, conversations_created: 10 } });
    expect(secondJob).toMatchObject({ status: 'SUCCEEDED', counts: { conversations_total: 7, conversations_created: 7 } });
    // Each system's own limit: 4 conversations per chunk in the first, the default (250) in the second.
    expect(firstJob.chunks_total).toBe(3);
    expect(secondJob.chunks_total).toBe(1);

    expect(await archivedConversations(first.system, userId)).toEqual(await convertedConversations(firstExport, join(workDir, 'first.jsonl')));
    expect(await archivedConversations(second.system, userId)).toEqual(await convertedConversations(secondExport, join(workDir, 'second.jsonl')));
    // Neither system knows the other's import.
    expect(await getJob({ ...first.system, ...first.system.resources }, { userId, importId: secondJob.import_id })).toBeNull();
    expect(await getJob({ ...second.system, ...second.system.resources }, { userId, importId: firstJob.import_id })).toBeNull();

    // start-import logged through the logger of the system that ran it, about that system's import only.
    const startedImports = (logged: Logged[]) => logged.filter((line) => line.message === 'start-import: started').map((line) => line.details?.importId);
    expect(startedImports(first.logged)).toEqual([firstJob.import_id]);
    expect(startedImports(second.logged)).toEqual([secondJob.import_id]);
  });
});
