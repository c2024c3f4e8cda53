// What the Distributed Map's ResultWriter left: `<prefix>/<map run id>/manifest.json` naming
// SUCCEEDED_n.json / FAILED_n.json files of child execution records. Finalize only needs the
// failed (or aborted) chunks; the succeeded files are never read (they can be large).

import type { S3Client } from '@aws-sdk/client-s3';
import type { ProcessChunksOutput } from '../importStateMachine';
import { readJsonObject } from './s3JsonObjects';

interface ResultWriterManifest {
  ResultFiles?: Partial<Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size?: number }[]>>;
}

interface ChildExecutionRecord {
  Input?: string;
  Status?: string;
  Error?: string;
  Cause?: string;
}

export interface FailedChunk {
  /** Null when the record's input cannot be read back. */
  chunk: number | null;
  error: string;
  cause: string;
}

export async function failedChunksOfMapRun(s3: S3Client, processed: ProcessChunksOutput): Promise<FailedChunk[]> {
  const { Bucket, Key } = processed.ResultWriterDetails;
  const manifest = await readJsonObject<ResultWriterManifest>(s3, Bucket, Key);
  if (!manifest) throw new Error(`the Map Run results s3://${Bucket}/${Key} are missing`);
  const failed: FailedChunk[] = [];
  for (const file of manifest.ResultFiles?.FAILED ?? []) {
    const records = (await readJsonObject<ChildExecutionRecord[]>(s3, Bucket, file.Key)) ?? [];
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
