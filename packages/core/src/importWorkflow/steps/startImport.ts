// An upload arrived (S3 ObjectCreated): validate the key, create the QUEUED job, start the
// workflow execution named after the import. S3 delivers notifications at least once, late and
// sometimes twice; every step here is idempotent so a repeated event starts nothing new.

import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createJob } from '../job/jobRepository';
import { isFinalStatus } from '../job/importJob';
import { jobContextOf, logImport, type ImportContext } from '../importContext';
import type { ImportExecutionInput } from '../importWorkflowState';
import { parseS3EventKey } from '../upload/uploadKey';

/** The fields of an S3 notification record we read (aws-lambda's S3EventRecord fits). */
export interface UploadNotificationRecord {
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

export type StartImportOutcome =
  | { key: string; status: 'started' | 'already-started'; importId: string; executionArn?: string }
  | { key: string; status: 'already-finished'; importId: string }
  | { key: string; status: 'rejected'; reason: string };

export async function startImport(
  ctx: ImportContext,
  records: readonly UploadNotificationRecord[],
  options: { workflowArn: string },
): Promise<StartImportOutcome[]> {
  const outcomes: StartImportOutcome[] = [];
  for (const record of records) {
    const outcome = await startOne(ctx, record, options.workflowArn);
    logImport(ctx, `start-import: ${outcome.status}`, { ...outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}

async function startOne(ctx: ImportContext, record: UploadNotificationRecord, workflowArn: string): Promise<StartImportOutcome> {
  const rawKey = record.s3?.object?.key ?? '';
  const bucket = record.s3?.bucket?.name ?? '';
  if (bucket !== ctx.resources.bucket) return { key: rawKey, status: 'rejected', reason: `bucket ${bucket} is not the archive bucket` };
  const upload = parseS3EventKey(rawKey);
  if (!upload.ok) return { key: upload.key, status: 'rejected', reason: upload.reason };
  const { key, userId, importId } = upload;

  // The web API may have created the job already (with the user's options and file name): kept.
  const { job } = await createJob(jobContextOf(ctx), {
    userId,
    importId,
    source: { key, bytes: record.s3.object.size ?? 0, name: key.slice(key.lastIndexOf('/') + 1) },
  });
  if (isFinalStatus(job.status)) return { key, status: 'already-finished', importId };

  const input: ImportExecutionInput = { importId, userId, bucket, key };
  try {
    const started = await ctx.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: workflowArn, name: importId, input: JSON.stringify(input) }),
    );
    return { key, status: 'started', importId, ...(started.executionArn ? { executionArn: started.executionArn } : {}) };
  } catch (error) {
    // A closed execution of that name (or the same one with another input): the import was started.
    if ((error as { name?: string }).name === 'ExecutionAlreadyExists') return { key, status: 'already-started', importId };
    throw error;
  }
}
