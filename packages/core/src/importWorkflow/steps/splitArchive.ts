// Split: stream the uploaded export from S3 (ranged GETs, never the whole archive in memory or
// on disk), cut it into chunk files, and write the manifest the Distributed Map reads.
//
// Duplicates: the ledger keeps the newer copy of an id. A copy that loses is never written; a
// copy that wins over one already written to an earlier chunk puts the loser's ordinal in that
// chunk's `skip` list (chunks are written before later copies are seen).
//
// Read errors: an export that cannot be opened, or fails before its first conversation, fails
// the import (UnreadableExport, a one-line reason for the user), and so does a damaged archive
// (its CRC fails after the bad bytes were read). A fault of the JSON AFTER conversations were
// read (truncated, or malformed in the middle of a shard) keeps what was read: the reader cannot
// resume past the fault, so the failing file and the files after it are recorded in the job's
// read errors (it ends PARTIAL and says, in the user's terms, which file broke where
// and what was imported before it) and the exact error goes into the report. Every message names
// the file the user uploaded, never its storage key.

import { objectKeys } from '../../archive/objectKeys';
import { s3ObjectSource } from '../../aws/s3ObjectSource';
import { duplicateCandidate } from '../../conversation/duplicateCandidate';
import { DuplicateLedger } from '../../conversation/duplicateLedger';
import { conversationId } from '../../conversation/normalizeConversation';
import { baseNameOf } from '../../chatgptExport/conversationFiles';
import { ExportReadError, keepsWhatWasRead } from '../../chatgptExport/exportReadError';
import { openExport, type ExportFile, type OpenedExport } from '../../chatgptExport/openExport';
import type { JobFailure } from '../job/importJob';
import { recordSplitResult, startStage } from '../job/jobRepository';
import type { ChunkFailures } from './chunkManifest';
import { ChunkWriter, defaultChunkLimits, type ChunkLimits } from './chunkWriter';
import { jobContextOf, logImport, type ImportContext } from '../importContext';
import type { ImportExecutionInput, SplitOutput } from '../importWorkflowState';
import { renewLockQuietly } from './acquireLock';
import { describeReadProblems, type ReadFault } from './exportReadProblems';
import { putText } from './s3JsonObjects';
import { AssetPlanner, MAX_ASSET_BYTES_PER_CHUNK } from './chunkAssetPlan';
import { SplitProgress } from './splitProgress';
import { UnreadableExport } from './unreadableExport';

export interface SplitOptions {
  chunkLimits?: ChunkLimits;
  progressIntervalMs?: number;
}

export async function splitArchive(ctx: ImportContext, input: ImportExecutionInput, options: SplitOptions = {}): Promise<SplitOutput> {
  const { importId, userId, bucket, key } = input;
  const job = { userId, importId };
  const jobCtx = jobContextOf(ctx);
  const stage = await startStage(jobCtx, job, 'SPLITTING');
  if (!stage.applied) throw new Error(`cannot split import ${importId}: ${stage.reason ?? 'the job refused the SPLITTING stage'}`);
  await renewLockQuietly(ctx, input);
  const uploadName = stage.job?.source.name || baseNameOf(key);

  const progress = new SplitProgress(ctx, job, options.progressIntervalMs);
  let opened: OpenedExport;
  try {
    opened = await openExport(s3ObjectSource(ctx.clients.s3, bucket, key, uploadName), { onProgress: progress.report });
  } catch (error) {
    throw unreadable(error);
  }

  const s3 = ctx.clients.s3;
  const workBucket = ctx.resources.bucket;
  const chunks = new ChunkWriter(s3, workBucket, importId, options.chunkLimits ?? defaultChunkLimits);
  const assets = new AssetPlanner(opened.assets);
  const ledger = new DuplicateLedger();
  const ids = new Set<string>();
  let read = 0;
  let lastFile: string | null = null;
  let fault: ReadFault | null = null;
  try {
    for await (const entry of opened.conversations()) {
      read++;
      lastFile = entry.file;
      const id = conversationId(entry.raw);
      // No id: still chunked, so ProcessChunk reports it as a failed conversation with its index.
      if (id !== null) {
        const verdict = ledger.offer({ id, ...duplicateCandidate(entry.raw), ordinal: entry.index });
        if (verdict.verdict === 'older') continue;
        if (verdict.verdict === 'replaces') chunks.supersede(verdict.superseded);
        ids.add(id);
      }
      const chunk = await chunks.add(entry.index, entry.json);
      if (assets.assign(chunk, entry.raw) >= MAX_ASSET_BYTES_PER_CHUNK) await chunks.close();
    }
  } catch (error) {
    if (!(error instanceof ExportReadError) || read === 0 || !keepsWhatWasRead(error)) throw unreadable(error);
    fault = { message: error.message, conversationsBefore: read, ...failingFile(opened.files, lastFile, error) };
    logImport(ctx, 'split: read error after conversations were read; keeping them', { importId, ...fault });
  }
  const readErrors = describeReadProblems({ name: uploadName, kind: opened.kind }, opened.truncatedFiles, fault);
  if (readErrors.length > 0) {
    const failures: ChunkFailures = readErrors.map((reason): JobFailure => ({ conversation_id: null, reason }));
    await putText(s3, workBucket, objectKeys.splitFailures(importId), JSON.stringify(failures), 'application/json');
  }
  await chunks.finish();
  await progress.settle();

  const idLines = [...ids].map((id) => JSON.stringify(id)).join('\n');
  await putText(s3, workBucket, objectKeys.conversationIds(importId), idLines === '' ? '' : idLines + '\n', 'application/x-ndjson');
  const assetCounts = new Map<number, { files: number; missing: number }>();
  for (const [chunk, plan] of assets.chunkPlans({ archiveKey: key, archiveName: uploadName })) {
    await putText(s3, workBucket, objectKeys.chunkAssets(importId, chunk), JSON.stringify(plan), 'application/json');
    assetCounts.set(chunk, { files: plan.files.length, missing: plan.missing.length });
  }
  const manifestKey = objectKeys.manifest(importId);
  const manifest = chunks.chunks
    .map((line) => JSON.stringify(assetCounts.has(line.chunk) ? { ...line, assets: assetCounts.get(line.chunk) } : line))
    .join('\n');
  await putText(s3, workBucket, manifestKey, manifest === '' ? '' : manifest + '\n', 'application/x-ndjson');

  const missingShards = opened.missingShards;
  const conversations = chunks.chunks.reduce((sum, chunk) => sum + chunk.conversations - chunk.skip.length, 0);
  const recorded = await recordSplitResult(jobCtx, job, {
    conversations_total: conversations,
    chunks_total: chunks.chunks.length,
    duplicates: ledger.duplicates,
    missing_shards: missingShards,
    read_errors: readErrors,
    assets_total: assets.filesPlanned,
    asset_problems: opened.assets.problems,
    bytes_total: opened.totalBytes,
  });
  if (!recorded.applied) throw new Error(`cannot record the split of import ${importId}: ${recorded.reason ?? 'refused'}`);
  if (chunks.chunks.length > 0) await startStage(jobCtx, job, 'PROCESSING');

  return {
    chunks: chunks.chunks.length,
    manifestKey,
    conversations,
    duplicates: ledger.duplicates,
    missingShards: missingShards.length,
  };
}

function unreadable(error: unknown): unknown {
  if (!(error instanceof ExportReadError)) return error;
  return new UnreadableExport(`The upload is not a readable ChatGPT export: ${error.message}`, error.code, { cause: error });
}

/**
 * The file the read failed in (named at the start of the reader's messages, else the file being
 * read) and the files after it, which were never read.
 */
function failingFile(files: readonly ExportFile[], lastFile: string | null, error: ExportReadError): Pick<ReadFault, 'file' | 'filesAfter'> {
  let failed = files.findIndex((file) => error.message.startsWith(`${file.name}:`));
  if (failed < 0) failed = Math.max(0, files.findIndex((file) => file.name === lastFile));
  const [file, ...filesAfter] = files.slice(failed).map((entry) => baseNameOf(entry.name));
  return { file: file ?? '', filesAfter };
}
