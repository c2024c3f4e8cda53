// Shared steps of the importing tests: an ImportContext on the file's isolated resources,
// uploads, and the workflow's states run in order (the Map replaced by a loop that writes the
// same ResultWriter files the Distributed Map would).

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectKeys } from '../../src/archive/objectKeys';
import type { ImportContext } from '../../src/importWorkflow/importContext';
import type { ChunkManifestLine } from '../../src/importWorkflow/steps/chunkManifest';
import { childExecutionRecord, resultWriterFiles } from '../../src/importWorkflow/mapRunResultFiles';
import { readJsonLines } from '../../src/importWorkflow/steps/s3JsonObjects';
import type { ImportExecutionInput } from '../../src/importWorkflow/importWorkflowState';
import { createJob } from '../../src/importWorkflow/job/jobRepository';
import { jobContextOf } from '../../src/importWorkflow/importContext';
import { generateExport } from '@threadline/generator/generateExport';
import { generateConversation } from '@threadline/generator/syntheticConversation';
import { deriveSeed, SeededRandom } from '@threadline/generator/seededRandom';
import type { IsolatedResources } from '../../../../test/support/isolatedResources';

export function importContextOf(resources: IsolatedResources): ImportContext {
  const { clients, ...names } = resources;
  return {
    clients,
    resources: names,
    backoff: { maxAttempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined, random: () => 0 },
    log: () => undefined,
  };
}

let uploads = 0;

/** Uploads `body` as imports/<userId>/<importId>.<ext> and creates the QUEUED job for the user's `fileName`. */
export async function uploadExport(
  ctx: ImportContext,
  body: Buffer,
  options: { userId?: string; extension?: 'zip' | 'json'; mirror?: boolean; fileName?: string } = {},
): Promise<ImportExecutionInput> {
  uploads += 1;
  const userId = options.userId ?? `user-${uploads}`;
  const importId = `import-${Date.now().toString(36)}-${uploads}`;
  const extension = options.extension ?? 'zip';
  const key = objectKeys.upload(userId, importId, extension);
  await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.resources.bucket, Key: key, Body: body }));
  await createJob(jobContextOf(ctx), {
    userId,
    importId,
    source: { key, bytes: body.length, name: options.fileName ?? `export.${extension}` },
    options: { mirror: options.mirror ?? false },
  });
  return { importId, userId, bucket: ctx.resources.bucket, key };
}

/** A generated export ZIP, as bytes. */
export async function generatedExport(conversations: number, shards = 0, seed = 7): Promise<Buffer> {
  const out = join(tmpdir(), `threadline-import-${process.pid}-${seed}-${conversations}-${shards}.zip`);
  await generateExport({ conversations, shards, seed, out });
  return readFile(out);
}

/** Raw synthetic conversations (what an export's array holds). */
export function rawConversations(count: number, seed = 11, firstIndex = 0): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const index = firstIndex + i;
    return generateConversation(new SeededRandom(deriveSeed(seed, index)), index) as unknown as Record<string, unknown>;
  });
}

export async function manifestLines(ctx: ImportContext, importId: string): Promise<ChunkManifestLine[]> {
  const lines: ChunkManifestLine[] = [];
  for await (const line of readJsonLines<ChunkManifestLine>(ctx.clients.s3, ctx.resources.bucket, objectKeys.manifest(importId))) lines.push(line);
  return lines;
}

/** What the Distributed Map's ResultWriter writes (core's format, as the local Map writes it), for Finalize to read. */
export async function writeMapResults(
  ctx: ImportContext,
  importId: string,
  results: { succeeded: ChunkManifestLine[]; failed: { line: ChunkManifestLine; error: string; cause: string }[] },
) {
  const folder = `${objectKeys.mapRunsPrefix}/${importId}`;
  const mapRunArn = 'arn:aws:states:us-east-1:000000000000:mapRun:local/ProcessChunks:run-1';
  const child = (line: ChunkManifestLine) => ({
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:local/ProcessChunks:run-1-${line.chunk}`,
    name: `run-1-${line.chunk}`,
    input: { importId, chunkIndex: line.chunk, chunk: line },
    startDate: new Date().toISOString(),
    stopDate: new Date().toISOString(),
  });
  const records = [
    ...results.succeeded.map((line) => ({ ...child(line), status: 'SUCCEEDED' as const, output: {} })),
    ...results.failed.map(({ line, error, cause }) => ({ ...child(line), status: 'FAILED' as const, error: { Error: error, Cause: cause } })),
  ].map((record) => childExecutionRecord(record, 'arn:aws:states:us-east-1:000000000000:stateMachine:local'));
  const { files, output } = resultWriterFiles({ bucket: ctx.resources.bucket, folder, mapRunArn, records });
  for (const file of files) await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.resources.bucket, Key: file.key, Body: file.body }));
  return output;
}
