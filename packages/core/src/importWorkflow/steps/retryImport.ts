// Retrying a PARTIAL or interrupted import. Where Step Functions can redrive the execution (an
// interrupted one: stopped or timed out, within 14 days) it resumes where it stopped, and a
// Distributed Map re-runs only its unsuccessful children. Otherwise — a PARTIAL import's execution
// SUCCEEDED, which cannot be redriven, and the local engine never redrives — the same upload (the
// same S3 object) is imported again under a new import id; the store makes that converge, writing
// only what is still missing.

import { randomUUID } from 'node:crypto';
import { domainError, type ErrorKind } from '../../errors/domainError';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { RedriveExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionArnOf } from '../executionArns';
import type { ImportJob } from '../job/importJob';
import { acquireImportLock, ImportLockBusy, releaseImportLock } from '../job/importLock';
import { createJob, getJob, markJobInterrupted, reopenForRedrive } from '../job/jobRepository';
import type { JobKey } from '../job/importsTableKeys';
import { importLockLeaseSeconds } from './acquireLock';
import { jobContextOf, logImport, type ImportContext } from '../importContext';
import { describeImportExecution } from './importExecution';
import type { ImportExecutionInput } from '../importWorkflowState';

export type RetryRefusal = 'not-found' | 'not-retryable' | 'busy' | 'upload-gone';

const refusalKinds: Record<RetryRefusal, ErrorKind> = { 'not-found': 'not-found', 'not-retryable': 'conflict', busy: 'conflict', 'upload-gone': 'gone' };

/** The import cannot be retried; the message says why and what to do instead. */
export class RetryRefused extends domainError('RetryRefused', 'conflict') {
  override readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly refusal: RetryRefusal,
  ) {
    super(message);
    this.kind = refusalKinds[refusal];
  }
}

export type RetryOutcome =
  | { mode: 'redriven'; importId: string; executionArn: string }
  /** `fallback`: why the execution was not redriven. */
  | { mode: 'new-import'; importId: string; retryOf: string; executionArn: string; fallback: string };

export function isRetryable(job: Pick<ImportJob, 'status' | 'interrupted'>): boolean {
  return job.status === 'PARTIAL' || (job.status === 'FAILED' && job.interrupted);
}

export async function retryImport(
  ctx: ImportContext,
  key: JobKey,
  options: { workflowArn: string; newImportId?: string },
): Promise<RetryOutcome> {
  const jobCtx = jobContextOf(ctx);
  const job = await getJob(jobCtx, key);
  if (!job) throw new RetryRefused(`no import ${key.importId}`, 'not-found');
  if (!isRetryable(job)) {
    throw new RetryRefused(
      `only a PARTIAL or interrupted import can be retried; ${key.importId} is ${job.status}` +
        (job.status === 'FAILED' ? ' (its export would fail the same way: fix it and import it again)' : ''),
      'not-retryable',
    );
  }
  const executionArn = executionArnOf(options.workflowArn, key.importId);
  let fallback = 'a PARTIAL import\'s execution SUCCEEDED, and Step Functions redrives only unsuccessful executions';
  if (job.interrupted) {
    const execution = await describeImportExecution(ctx.clients.sfn, executionArn);
    if (execution.redrivable) return redrive(ctx, job, executionArn);
    fallback = `the execution cannot be redriven: ${execution.redriveStatusReason ?? execution.status}`;
  }
  return importUploadAgain(ctx, job, options, fallback);
}

async function redrive(ctx: ImportContext, job: ImportJob, executionArn: string): Promise<RetryOutcome> {
  const jobCtx = jobContextOf(ctx);
  const key = { userId: job.user_id, importId: job.import_id };
  // The redriven execution resumes past AcquireLock: take the lock for it here.
  try {
    await acquireImportLock(jobCtx, key.userId, key.importId, importLockLeaseSeconds);
  } catch (error) {
    if (error instanceof ImportLockBusy) throw new RetryRefused('another import of this account is running; retry when it has finished', 'busy');
    throw error;
  }
  const reopened = await reopenForRedrive(jobCtx, key, job.stage ?? 'SPLITTING');
  if (!reopened.applied) {
    await releaseImportLock(jobCtx, key.userId, key.importId);
    throw new RetryRefused(`import ${key.importId} changed meanwhile (${reopened.reason ?? 'refused'}); look at it again`, 'not-retryable');
  }
  try {
    await ctx.clients.sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: `${key.importId}-${job.updated_at}`.slice(0, 64) }));
  } catch (error) {
    // Put the job back as it was: interrupted, lock free.
    await markJobInterrupted(jobCtx, key, job.error ?? 'interrupted');
    await releaseImportLock(jobCtx, key.userId, key.importId);
    throw error;
  }
  logImport(ctx, 'import redriven', { ...key, executionArn });
  return { mode: 'redriven', importId: key.importId, executionArn };
}

async function importUploadAgain(
  ctx: ImportContext,
  job: ImportJob,
  options: { workflowArn: string; newImportId?: string },
  fallback: string,
): Promise<RetryOutcome> {
  const bucket = ctx.resources.bucket;
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: job.source.key }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'NotFound' && name !== 'NoSuchKey') throw error;
    throw new RetryRefused(`the upload of ${job.import_id} is gone (uploads are kept 7 days); import the export again`, 'upload-gone');
  }
  const importId = options.newImportId ?? randomUUID();
  await createJob(jobContextOf(ctx), { userId: job.user_id, importId, source: job.source, options: job.options });
  const input: ImportExecutionInput = { importId, userId: job.user_id, bucket, key: job.source.key };
  const started = await ctx.clients.sfn.send(
    new StartExecutionCommand({ stateMachineArn: options.workflowArn, name: importId, input: JSON.stringify(input) }),
  );
  logImport(ctx, 'import retried as a new import of the same upload', { retryOf: job.import_id, importId, fallback });
  return { mode: 'new-import', importId, retryOf: job.import_id, executionArn: started.executionArn ?? executionArnOf(options.workflowArn, importId), fallback };
}
