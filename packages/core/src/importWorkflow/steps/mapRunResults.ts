// What the Distributed Map's ResultWriter left (the format: ../mapRunResultFiles.ts). Finalize
// only needs the failed (or aborted) chunks; the succeeded files are never read (they can be
// large). Read defensively: the files come from S3, and AWS may add fields or leave some out.

import type { S3Client } from '@aws-sdk/client-s3';
import type { ProcessChunksOutput } from '../importStateMachine';
import type { ChildExecutionRecord, ResultWriterManifest } from '../mapRunResultFiles';
import { readJsonObject } from './s3JsonObjects';

export interface FailedChunk {
  /** Null when the record's input cannot be read back. */
  chunk: number | null;
  error: string;
  cause: string;
}

export async function failedChunksOfMapRun(s3: S3Client, processed: ProcessChunksOutput): Promise<FailedChunk[]> {
  const { Bucket, Key } = processed.ResultWriterDetails;
  const manifest = await readJsonObject<Partial<ResultWriterManifest>>(s3, Bucket, Key);
  if (!manifest) throw new Error(`the Map Run results s3://${Bucket}/${Key} are missing`);
  const failed: FailedChunk[] = [];
  for (const file of manifest.ResultFiles?.FAILED ?? []) {
    const records = (await readJsonObject<Partial<ChildExecutionRecord>[]>(s3, Bucket, file.Key)) ?? [];
    for (const record of records) {
      failed.push({ chunk: chunkOfInput(record.Input), error: record.Error ?? record.Status ?? 'FAILED', cause: record.Cause ?? '' });
    }
  }
  return failed;
}

/** The folder the Map Run wrote into (the manifest's), so Finalize can delete it. */
export function mapRunResultsFolder(processed: ProcessChunksOutput): string | null {
  const key = processed.ResultWriterDetails.Key;
  const slash = key.lastIndexOf('/');
  return slash > 0 ? key.slice(0, slash + 1) : null;
}

function chunkOfInput(input: string | undefined): number | null {
  try {
    const parsed = JSON.parse(input ?? 'null') as { chunk?: { chunk?: unknown }; chunkIndex?: unknown } | null;
    const chunk = parsed?.chunk?.chunk ?? parsed?.chunkIndex;
    return typeof chunk === 'number' ? chunk : null;
  } catch {
    return null;
  }
}
