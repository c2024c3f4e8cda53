// `importScenario`: a generated export through the whole local system (presigned POST → S3
// event → workflow → tables), beside the raw BatchWriteItem rate of the same DynamoDB Local,
// measured in the same run with one ~1 KB item per message the import wrote (the one-item-per-
// message floor). `--on-disk` runs the system as `npm start` does (DynamoDB Local's -dbPath) and
// then times `threadline conversations --json` on that archive with no system running;
// `--without-search-index` imports without the search index (what indexing adds). Prints one
// JSON line. Run alone or from run.ts:
//   NODE_OPTIONS=--openssl-legacy-provider tsx packages/local/bench/importScenario.ts --conversations 1000 [--on-disk]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoItemBytes } from '@threadline/core/aws/itemSize';
import { createResources } from '../src/stack/createResources';
import { importExportFile } from '../src/app/importExportFile';
import { startLocalSystem } from '../src/app/localSystem';
import { processCpuSeconds } from './processCpu';
import { stageSeconds } from './stageSeconds';
import { generateExport } from '@threadline/generator/generateExport';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '1000' },
    zip: { type: 'string' },
    'raw-writers': { type: 'string', default: '8' },
    'raw-item-bytes': { type: 'string', default: '1000' },
    'on-disk': { type: 'boolean', default: false },
    'without-search-index': { type: 'boolean', default: false },
    /** Only the import's own time is wanted (searchIndexCost): no raw write floor after it. */
    'skip-raw-floor': { type: 'boolean', default: false },
  },
});
const onDisk = values['on-disk'];

const workDir = await mkdtemp(join(tmpdir(), 'threadline-bench-import-'));
const dataDir = join(workDir, 'home');
// On disk: the default prefix, so the CLI (which reads the default names) finds the archive.
// The handlers' log is dropped: the one JSON line on stdout is this scenario's.
const log = () => undefined;
const indexing = values['without-search-index'] ? { indexForSearch: false } : {};
const system = await startLocalSystem(onDisk ? { dataDir, log, ...indexing } : { inMemory: true, namePrefix: 'bench', log, ...indexing });
let stopped = false;
try {
  const zipPath = values.zip ?? join(workDir, 'export.zip');
  if (!values.zip) await generateExport({ conversations: Number(values.conversations), seed: 42, out: zipPath });

  // DynamoDB Local is a JVM: its first ~20k writes run ~1.6× slower than later ones while the JIT
  // warms up. Warm it before either measurement, so the pipeline and the raw writes are compared
  // on the same, warm engine rather than the import paying the warm-up for both.
  const warmUp = await rawBatchWrite(20_000, Number(values['raw-writers']));
  await (system.clients.dynamo as unknown as DynamoDBClient).send(new DeleteTableCommand({ TableName: warmUp.table }));

  const importCpu = cpuMeter();
  const started = performance.now();
  const job = await importExportFile(system, { filePath: zipPath, userId: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = importCpu.stop();
  if (job.status !== 'SUCCEEDED') throw new Error(`import ended ${job.status}: ${job.error}`);
  const messages = job.counts.messages_put;
  await system.idle();
  const stages = stageSeconds(system.registry.describe(`${system.workflowArn.replace(':stateMachine:', ':execution:')}:${job.import_id}`).history);

  let raw = { seconds: Number.NaN, table: '' };
  let rawCpuSeconds: ReturnType<ReturnType<typeof cpuMeter>['stop']> = null;
  if (!values['skip-raw-floor']) {
    const rawCpu = cpuMeter();
    raw = await rawBatchWrite(messages, Number(values['raw-writers']));
    rawCpuSeconds = rawCpu.stop();
    // The raw floor's table must not weigh on the archive the CLI then reads.
    await (system.clients.dynamo as unknown as DynamoDBClient).send(new DeleteTableCommand({ TableName: raw.table }));
  }
  const items = await itemCounts();
  let listing: { seconds: number; conversations: number; helpSeconds: number } | undefined;
  if (onDisk) {
    await system.stop();
    stopped = true;
    listing = timeListing(dataDir);
  }
  const result = {
    scenario: onDisk ? 'importOnDisk' : 'import',
    searchIndex: !values['without-search-index'],
    items,
    listing,
    conversations: job.counts.conversations_total,
    messages,
    chunks: job.chunks_total,
    seconds,
    cpuSeconds,
    stages,
    messagesPerSecond: messages / seconds,
    rawWriteSeconds: raw.seconds,
    rawCpuSeconds,
    rawItemsPerSecond: messages / raw.seconds,
    pipelineOverRaw: seconds / raw.seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  if (!stopped) await system.stop();
  await rm(workDir, { recursive: true, force: true });
}

/**
 * Items in the Conversations table by kind, with their mean size and the write units writing
 * them costs on AWS (1 WRU per started KB, per item): what the README's cost table uses.
 */
async function itemCounts(): Promise<Record<string, { items: number; meanKb: number; writeUnits: number }>> {
  const counts: Record<string, { items: number; meanKb: number; writeUnits: number }> = {};
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await system.clients.dynamo.send(
      new ScanCommand({ TableName: system.resources.tables.Conversations, ExclusiveStartKey: startKey }),
    );
    for (const item of output.Items ?? []) {
      // Search segments are keyed by segment id, not by a kind prefix: name them by partition.
      const kind = String(item.pk).includes('#SHARD#') ? 'SEGMENT' : String(item.sk).replace(/#.*/, '');
      const bytes = dynamoItemBytes(item);
      const entry = (counts[kind] ??= { items: 0, meanKb: 0, writeUnits: 0 });
      entry.meanKb = (entry.meanKb * entry.items + bytes / 1024) / (entry.items + 1);
      entry.items += 1;
      entry.writeUnits += Math.ceil(bytes / 1024);
    }
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

/**
 * CPU seconds spent from now to stop() by this process (pipeline, s3rver, engine) and by
 * DynamoDB Local's JVM: on 2 cores, a run can take no less than half their sum.
 */
function cpuMeter(): { stop(): { node: number; dynamoDbLocal: number | null } | null } {
  const before = processCpuSeconds('DynamoDBLocal');
  return {
    stop() {
      const after = processCpuSeconds('DynamoDBLocal');
      if (!before || !after) return null;
      return { node: after.self - before.self, dynamoDbLocal: after.child !== null && before.child !== null ? after.child - before.child : null };
    },
  };
}

/** `threadline conversations --json` (and `--help`) as a user runs them, no system running. */
function timeListing(home: string): { seconds: number; conversations: number; helpSeconds: number } {
  const bin = join(import.meta.dirname, '..', 'bin', 'threadline.mjs');
  const env = { ...process.env, THREADLINE_HOME: home, NODE_OPTIONS: '' };
  const run = (args: string[]) => {
    const started = performance.now();
    const output = execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
    return { seconds: (performance.now() - started) / 1000, output };
  };
  run(['conversations', '--json', '--user', 'bench']); // tsx's transform cache, as any second run has it
  const listed = run(['conversations', '--json', '--user', 'bench']);
  const help = run(['--help']);
  return { seconds: listed.seconds, conversations: (JSON.parse(listed.output) as unknown[]).length, helpSeconds: help.seconds };
}


/** `count` items of ~raw-item-bytes, BatchWriteItem 25 at a time from `writers` concurrent loops, retrying unprocessed items. */
async function rawBatchWrite(count: number, writers: number): Promise<{ seconds: number; table: string }> {
  const resources = await createResources(system.clients, `bench-raw-${randomBytes(3).toString('hex')}`);
  const table = resources.tables.Conversations;
  const text = randomBytes(Math.round((Number(values['raw-item-bytes']) * 3) / 4)).toString('base64');
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + 25);
        let requests = Array.from({ length: next - from }, (_, i) => ({
          PutRequest: { Item: { pk: `USER#raw#CONV#${Math.floor((from + i) / 40)}`, sk: `MSG#${String(from + i).padStart(6, '0')}`, text } },
        }));
        while (requests.length > 0) {
          const output = await system.clients.dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (output.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, table };
}
