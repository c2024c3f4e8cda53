// The import job in DynamoDB. Every write is conditional: the conditions come from the pure
// transition rules, so a late, retried or duplicated step can never move a finished job back.
// Also here: the chunk's counters (chunkResultTransaction.ts), listing (jobListing.ts), the item
// mapping (jobItem.ts) and the UpdateExpression builder (updateExpression.ts).

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newImportJob, type FinalJobStatus, type ImportJob, type JobCounts, type JobStage, type NewImportJob } from './importJob';
import { jobErrorText } from './jobErrorText';
import { judgeTransition, legalSourcesOf, stagesAcceptingChunks, type JobMove, type JobPosition } from './jobTransitions';
import { importsTableAttributes, jobItemKey, type JobKey } from './importsTableKeys';
import { cappedProblems, jobFromItem, storedFields } from './jobItem';
import { currentTime, type JobStoreContext } from './jobStoreContext';
import { UpdateBuilder } from './updateExpression';

const { partitionKey } = importsTableAttributes;

export interface JobWriteResult {
  /** False when the write was refused (illegal move, stale progress) or the job does not exist. */
  applied: boolean;
  /** The job after the write, or as it stands when refused; null when there is no such job. */
  job: ImportJob | null;
  /** Why a write was refused. */
  reason?: string;
}

export interface SplitTotals {
  conversations_total: number;
  chunks_total: number;
  duplicates?: number;
  missing_shards?: readonly string[];
  read_errors?: readonly string[];
  assets_total?: number;
  asset_problems?: readonly string[];
  /** Defaults to the size recorded so far; bytes_read is set to it (splitting is done). */
  bytes_total?: number;
}

/** Creates the QUEUED job; creating the same import again returns the existing job untouched. */
export async function createJob(
  ctx: JobStoreContext,
  input: Omit<NewImportJob, 'now'>,
): Promise<{ created: boolean; job: ImportJob }> {
  const job = newImportJob({ ...input, now: currentTime(ctx) });
  try {
    await ctx.clients.dynamo.send(
      new PutCommand({
        TableName: ctx.tables.Imports,
        Item: { ...jobItemKey(input), ...storedFields(job) },
        ConditionExpression: `attribute_not_exists(${partitionKey})`,
      }),
    );
    return { created: true, job };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = await getJob(ctx, input);
    if (!existing) throw error;
    return { created: false, job: existing };
  }
}

/** Enters a stage (re-entering the current one only updates the message). */
export function startStage(ctx: JobStoreContext, job: JobKey, stage: JobStage, message: string | null = null): Promise<JobWriteResult> {
  const at = currentTime(ctx).toISOString();
  const update = new UpdateBuilder();
  update.set('status', 'RUNNING').set('stage', stage).set('updated_at', at);
  update.setExpression(`${update.name('started_at')} = if_not_exists(${update.name('started_at')}, ${update.value(at)})`);
  if (message === null) update.remove('stage_message');
  else update.set('stage_message', message);
  return applyMove(ctx, job, { to: 'RUNNING', stage }, update);
}

/** Split progress; only ever forward (a late, smaller report is refused). */
export function recordSplitProgress(ctx: JobStoreContext, job: JobKey, bytesRead: number, bytesTotal: number): Promise<JobWriteResult> {
  const update = new UpdateBuilder();
  update.set('bytes_read', bytesRead).set('bytes_total', bytesTotal).set('updated_at', currentTime(ctx).toISOString());
  update.condition(
    `${update.name('status')} = ${update.value('RUNNING')} AND ${update.name('stage')} = ${update.value('SPLITTING')}` +
      ` AND ${update.name('bytes_read')} < ${update.value(bytesRead)}`,
  );
  return applyUpdate(ctx, job, update, 'split progress is stale or the job is not splitting');
}

/** What the split found. Idempotent (it sets, never adds), so a retried split may record again. */
export function recordSplitResult(ctx: JobStoreContext, job: JobKey, totals: SplitTotals): Promise<JobWriteResult> {
  const update = new UpdateBuilder();
  update
    .set('counts.conversations_total', totals.conversations_total)
    .set('counts.duplicates', totals.duplicates ?? 0)
    .set('chunks_total', totals.chunks_total)
    .set('missing_shards', [...(totals.missing_shards ?? [])])
    .set('read_errors', [...(totals.read_errors ?? [])])
    .set('assets_total', totals.assets_total ?? 0)
    .set('asset_problems', cappedProblems(totals.asset_problems ?? []))
    .set('updated_at', currentTime(ctx).toISOString());
  if (totals.bytes_total !== undefined) update.set('bytes_total', totals.bytes_total).set('bytes_read', totals.bytes_total);
  else update.setExpression(`${update.name('bytes_read')} = ${update.name('bytes_total')}`);
  update.condition(
    `${update.name('status')} = ${update.value('RUNNING')} AND ${update.name('stage')} IN (${stagesAcceptingChunks.map((s) => update.value(s)).join(', ')})`,
  );
  return applyUpdate(ctx, job, update, 'the job is not splitting');
}

/** Ends the job. A second finish (or a late MarkFailed after Finalize) is refused: applied false. */
export function finishJob(
  ctx: JobStoreContext,
  job: JobKey,
  status: FinalJobStatus,
  details: { error?: unknown; reportKey?: string; interrupted?: boolean; counts?: Partial<JobCounts> } = {},
): Promise<JobWriteResult> {
  const at = currentTime(ctx).toISOString();
  const update = new UpdateBuilder();
  update.set('status', status).set('finished_at', at).set('updated_at', at);
  // Added with the finish, in one write: a retried Finalize, refused, cannot count twice.
  for (const [name, value] of Object.entries(details.counts ?? {})) if (value) update.add(`counts.${name}`, value);
  if (details.error !== undefined && details.error !== null) update.set('error', jobErrorText(details.error));
  if (details.interrupted) update.set('interrupted', true);
  if (details.reportKey !== undefined) update.set('report_key', details.reportKey);
  return applyMove(ctx, job, { to: status }, update);
}

/** FAILED with the reason; only from QUEUED or RUNNING. */
export function markJobFailed(ctx: JobStoreContext, job: JobKey, reason: unknown): Promise<JobWriteResult> {
  return finishJob(ctx, job, 'FAILED', { error: reason });
}

/**
 * FAILED because the execution stopped without recording an outcome (stopped, timed out, the
 * local system died); only from QUEUED or RUNNING, so a job that ended on its own keeps its outcome.
 */
export function markJobInterrupted(ctx: JobStoreContext, job: JobKey, reason: string): Promise<JobWriteResult> {
  return finishJob(ctx, job, 'FAILED', { error: reason, interrupted: true });
}

/**
 * Reopens an interrupted job whose execution is redriven: RUNNING again in the stage it stopped
 * in (its counters and chunk markers are kept, so redriven chunks are still counted once).
 */
export function reopenForRedrive(ctx: JobStoreContext, job: JobKey, stage: JobStage): Promise<JobWriteResult> {
  const update = new UpdateBuilder();
  update.set('status', 'RUNNING').set('stage', stage).set('interrupted', false).set('updated_at', currentTime(ctx).toISOString());
  update.remove('error').remove('finished_at');
  update.condition(`${update.name('interrupted')} = ${update.value(true)}`);
  return applyMove(ctx, job, { to: 'RUNNING', stage, redrive: true }, update);
}

export async function getJob(ctx: JobStoreContext, job: JobKey): Promise<ImportJob | null> {
  const { Item } = await ctx.clients.dynamo.send(
    new GetCommand({ TableName: ctx.tables.Imports, Key: jobItemKey(job), ConsistentRead: true }),
  );
  return Item ? jobFromItem(Item) : null;
}

async function applyMove(ctx: JobStoreContext, job: JobKey, move: JobMove, update: UpdateBuilder): Promise<JobWriteResult> {
  update.condition(positionsCondition(update, legalSourcesOf(move)));
  const result = await applyUpdate(ctx, job, update, 'illegal transition');
  if (!result.applied && result.job) {
    const verdict = judgeTransition(result.job, move);
    if (!verdict.legal) result.reason = verdict.reason;
  }
  return result;
}

async function applyUpdate(ctx: JobStoreContext, job: JobKey, update: UpdateBuilder, refusal: string): Promise<JobWriteResult> {
  update.condition(`attribute_exists(${partitionKey})`);
  try {
    const { Attributes } = await ctx.clients.dynamo.send(
      new UpdateCommand({ TableName: ctx.tables.Imports, Key: jobItemKey(job), ...update.build(), ReturnValues: 'ALL_NEW' }),
    );
    return { applied: true, job: Attributes ? jobFromItem(Attributes) : await getJob(ctx, job) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = await getJob(ctx, job);
    return { applied: false, job: current, reason: current ? refusal : 'no such job' };
  }
}

/** `(status = A) OR (status = B AND stage IN (…))`, grouping the legal source positions by status. */
function positionsCondition(update: UpdateBuilder, positions: readonly JobPosition[]): string {
  if (positions.length === 0) return `attribute_not_exists(${partitionKey})`; // nothing may move there: always false for an existing job
  const byStatus = new Map<string, (string | null)[]>();
  for (const { status, stage } of positions) byStatus.set(status, [...(byStatus.get(status) ?? []), stage]);
  const clauses = [...byStatus].map(([status, stages]) => {
    const statusClause = `${update.name('status')} = ${update.value(status)}`;
    // QUEUED jobs have no stage; RUNNING jobs always have one; so a null in the list means "any".
    if (stages.includes(null)) return { text: statusClause, compound: false };
    return { text: `${statusClause} AND ${update.name('stage')} IN (${stages.map((s) => update.value(s)).join(', ')})`, compound: true };
  });
  // DynamoDB rejects redundant parentheses, so add only those the precedence needs.
  if (clauses.length === 1) return clauses[0]!.text;
  return `(${clauses.map((c) => (c.compound ? `(${c.text})` : c.text)).join(' OR ')})`;
}
