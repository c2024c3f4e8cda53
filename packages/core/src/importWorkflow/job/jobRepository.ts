// The import job in DynamoDB. Every write is conditional: the conditions come from the pure
// transition rules, so a late, retried or duplicated step can never move a finished job back,
// and a chunk's counters are added exactly once.

import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  emptyJobCounts,
  inlineAssetProblemLimit,
  inlineFailureLimit,
  jobCountNames,
  newImportJob,
  type FinalJobStatus,
  type ImportJob,
  type JobCounts,
  type JobFailure,
  type JobStage,
  type NewImportJob,
} from './importJob';
import { InvalidCursorError } from '../../archive/pageCursor';
import { defaultRetryBackoff, fullJitterDelay, type RetryBackoff } from '../../aws/retryBackoff';
import { jobErrorText } from './jobErrorText';
import { jobProgressPercent } from './jobProgress';
import { judgeTransition, legalSourcesOf, type JobMove, type JobPosition } from './jobTransitions';
import { importsTableKeys, jobItemKey, type JobKey } from './importsTableKeys';
import { currentTime, type JobStoreContext } from './jobStoreContext';

export interface JobWriteResult {
  /** False when the write was refused (illegal move, stale progress) or the job does not exist. */
  applied: boolean;
  /** The job after the write, or as it stands when refused; null when there is no such job. */
  job: ImportJob | null;
  /** Why a write was refused. */
  reason?: string;
}

export type ImportJobSummary = Omit<ImportJob, 'failures'>;

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

/** What one chunk adds to the job. `conversations_total` is the split's to set, not a chunk's. */
export type ChunkCounts = Partial<Omit<JobCounts, 'conversations_total'>>;

export interface ChunkResult {
  counts: ChunkCounts;
  failures?: readonly JobFailure[];
  /** Files the chunk could not copy or type, one sentence each. */
  assetProblems?: readonly string[];
}

export type ChunkRecordOutcome =
  | { recorded: true }
  /** duplicate: this chunk was already counted. job-not-processing: the job left PROCESSING (or never got there). */
  | { recorded: false; reason: 'duplicate' | 'job-not-processing' | 'not-found' };

/** Chunk markers outlive any run; TTL removes them later (they only matter while a job runs). */
const chunkMarkerLifetimeSeconds = 30 * 24 * 3600;
/**
 * Chunks finishing together conflict on the job item's transaction: retry soon, with full jitter
 * so they spread out (the store's one backoff policy, with short waits).
 */
const chunkConflictBackoff: RetryBackoff = { ...defaultRetryBackoff, maxAttempts: 60, baseMs: 10, capMs: 200 };
/** Stages in which chunk results are accepted: not once finalizing has read the counters. */
const stagesAcceptingChunks: readonly JobStage[] = ['SPLITTING', 'PROCESSING'];

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
        ConditionExpression: 'attribute_not_exists(pk)',
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

/**
 * Adds one chunk's counters to the job, exactly once: a marker item for the chunk is put in the
 * same transaction, on condition it does not exist, so a retried chunk changes nothing. The
 * first `inlineFailureLimit` failures are appended to the job item; the append is conditional on
 * the list length read just before (concurrent chunks retry), which keeps the cap exact.
 */
export async function recordChunkResult(
  ctx: JobStoreContext,
  job: JobKey,
  chunkIndex: number,
  result: ChunkResult,
): Promise<ChunkRecordOutcome> {
  const failures = (result.failures ?? []).map(inlineFailure);
  for (let attempt = 1; ; attempt++) {
    let inlineCount: number | null = null;
    if (failures.length > 0) {
      const current = await getJob(ctx, job);
      if (!current) return { recorded: false, reason: 'not-found' };
      inlineCount = current.failures.length;
    }
    const room = inlineCount === null ? 0 : Math.max(0, inlineFailureLimit - inlineCount);
    try {
      await ctx.clients.dynamo.send(
        chunkTransaction(ctx, job, chunkIndex, result.counts, failures, room > 0 ? inlineCount : null, failures.slice(0, room), cappedProblems(result.assetProblems ?? [])),
      );
      return { recorded: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [marker, jobItem] = error.CancellationReasons ?? [];
      if (marker?.Code === 'ConditionalCheckFailed') return { recorded: false, reason: 'duplicate' };
      if (jobItem?.Code === 'ConditionalCheckFailed') {
        const current = await getJob(ctx, job);
        if (!current) return { recorded: false, reason: 'not-found' };
        if (!acceptsChunks(current)) return { recorded: false, reason: 'job-not-processing' };
        // Otherwise another chunk appended failures since we read the list: read again.
      } else if (!isConflict(error.CancellationReasons)) {
        throw error;
      }
      if (attempt >= chunkConflictBackoff.maxAttempts) throw error;
      await chunkConflictBackoff.sleep(fullJitterDelay(attempt - 1, chunkConflictBackoff));
    }
  }
}

/** Ends the job. A second finish (or a late MarkFailed after Finalize) is refused: applied false. */
export function finishJob(
  ctx: JobStoreContext,
  job: JobKey,
  status: FinalJobStatus,
  details: { error?: unknown; reportKey?: string; interrupted?: boolean } = {},
): Promise<JobWriteResult> {
  const at = currentTime(ctx).toISOString();
  const update = new UpdateBuilder();
  update.set('status', status).set('finished_at', at).set('updated_at', at);
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

/**
 * A user's jobs, newest first. Import ids carry no order we may rely on, so the user's job
 * items are read whole (without their failure lists: about 1 KB each) and sorted by created_at;
 * the cursor names the last job returned.
 */
export async function listJobs(
  ctx: JobStoreContext,
  userId: string,
  page: { limit?: number; cursor?: string | null } = {},
): Promise<{ jobs: ImportJobSummary[]; cursor: string | null }> {
  const limit = Math.max(1, Math.min(100, page.limit ?? 20));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const projected = summaryAttributes.map((_, i) => `#a${i}`);
  const names = Object.fromEntries(summaryAttributes.map((name, i) => [`#a${i}`, name]));
  const all: ImportJobSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const response = await ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.tables.Imports,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': importsTableKeys.partition(userId), ':prefix': importsTableKeys.jobPrefix },
        ExpressionAttributeNames: names,
        ProjectionExpression: projected.join(', '),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of response.Items ?? []) {
      const { failures: _failures, ...summary } = jobFromItem(item);
      all.push(summary);
    }
    startKey = response.LastEvaluatedKey;
  } while (startKey);
  all.sort(newestFirst);
  const remaining = after ? all.filter((job) => newestFirst(job, { created_at: after[0], import_id: after[1] }) > 0) : all;
  const jobs = remaining.slice(0, limit);
  const last = jobs[jobs.length - 1];
  return { jobs, cursor: remaining.length > limit && last ? encodeCursor([last.created_at, last.import_id]) : null };
}

/**
 * Every user's QUEUED or RUNNING jobs (keys only). A whole-table Scan: for the local system's
 * start-up check, never on a request path.
 */
export async function listUnfinishedJobs(ctx: JobStoreContext): Promise<(JobKey & { status: 'QUEUED' | 'RUNNING' })[]> {
  const found: (JobKey & { status: 'QUEUED' | 'RUNNING' })[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.clients.dynamo.send(
      new ScanCommand({
        TableName: ctx.tables.Imports,
        FilterExpression: 'begins_with(sk, :prefix) AND #status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':prefix': importsTableKeys.jobPrefix, ':queued': 'QUEUED', ':running': 'RUNNING' },
        ProjectionExpression: 'user_id, import_id, #status',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({ userId: String(item.user_id), importId: String(item.import_id), status: item.status as 'QUEUED' | 'RUNNING' });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

// ——— item mapping ———

const summaryAttributes = [
  'import_id', 'user_id', 'status', 'stage', 'stage_message', 'source', 'options', 'created_at', 'started_at', 'interrupted',
  'updated_at', 'finished_at', 'error', 'counts', 'chunks_total', 'chunks_done', 'bytes_total', 'bytes_read',
  'missing_shards', 'read_errors', 'assets_total', 'asset_problems', 'report_key',
] as const;

/** The stored attributes: no derived progress, and no nulls (absent instead, so if_not_exists works). */
function storedFields(job: ImportJob): Record<string, unknown> {
  const { progress_percent: _derived, ...fields } = job;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

function jobFromItem(item: Record<string, unknown>): ImportJob {
  const stored = item as Partial<ImportJob>;
  const job: ImportJob = {
    import_id: String(stored.import_id),
    user_id: String(stored.user_id),
    status: stored.status ?? 'QUEUED',
    stage: stored.stage ?? null,
    stage_message: stored.stage_message ?? null,
    source: stored.source ?? { key: '', bytes: 0, name: '' },
    options: { mirror: stored.options?.mirror ?? false },
    created_at: stored.created_at ?? '',
    started_at: stored.started_at ?? null,
    updated_at: stored.updated_at ?? stored.created_at ?? '',
    finished_at: stored.finished_at ?? null,
    error: stored.error ?? null,
    interrupted: stored.interrupted ?? false,
    counts: { ...emptyJobCounts(), ...stored.counts },
    chunks_total: stored.chunks_total ?? 0,
    chunks_done: stored.chunks_done ?? 0,
    bytes_total: stored.bytes_total ?? 0,
    bytes_read: stored.bytes_read ?? 0,
    missing_shards: stored.missing_shards ?? [],
    read_errors: stored.read_errors ?? [],
    assets_total: stored.assets_total ?? 0,
    asset_problems: stored.asset_problems ?? [],
    failures: stored.failures ?? [],
    report_key: stored.report_key ?? null,
    progress_percent: 0,
  };
  job.progress_percent = jobProgressPercent(job);
  return job;
}

/** At most inlineAssetProblemLimit lines, the last saying how many more there were. */
function cappedProblems(problems: readonly string[]): string[] {
  if (problems.length <= inlineAssetProblemLimit) return problems.map((problem) => jobErrorText(problem));
  const shown = problems.slice(0, inlineAssetProblemLimit - 1).map((problem) => jobErrorText(problem));
  return [...shown, `and ${problems.length - shown.length} more file problem(s) like these`];
}

function inlineFailure(failure: JobFailure): JobFailure {
  return {
    ...(failure.index !== undefined ? { index: failure.index } : {}),
    conversation_id: failure.conversation_id,
    reason: jobErrorText(failure.reason),
  };
}

function acceptsChunks(job: JobPosition): boolean {
  return job.status === 'RUNNING' && job.stage !== null && stagesAcceptingChunks.includes(job.stage);
}

function newestFirst(a: Pick<ImportJob, 'created_at' | 'import_id'>, b: Pick<ImportJob, 'created_at' | 'import_id'>): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.import_id === b.import_id ? 0 : a.import_id < b.import_id ? 1 : -1;
}

function encodeCursor(position: [string, string]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the job list cursor is not JSON');
  }
  if (!Array.isArray(position) || position.length !== 2 || !position.every((part) => typeof part === 'string')) {
    throw new InvalidCursorError('the job list cursor is not a position');
  }
  return [position[0], position[1]];
}

// ——— writes ———

function chunkTransaction(
  ctx: JobStoreContext,
  job: JobKey,
  chunkIndex: number,
  counts: ChunkCounts,
  failures: readonly JobFailure[],
  expectedInlineCount: number | null,
  appended: readonly JobFailure[],
  assetProblems: readonly string[],
): TransactWriteCommand {
  const now = currentTime(ctx);
  const update = new UpdateBuilder();
  for (const name of jobCountNames) {
    if (name === 'conversations_total') continue;
    const amount = counts[name] ?? 0;
    if (amount !== 0) update.add(`counts.${name}`, amount);
  }
  update.add('chunks_done', 1).set('updated_at', now.toISOString());
  update.condition(
    `${update.name('status')} = ${update.value('RUNNING')} AND ${update.name('stage')} IN (${stagesAcceptingChunks.map((s) => update.value(s)).join(', ')})`,
  );
  if (appended.length > 0 && expectedInlineCount !== null) {
    const failuresName = update.name('failures');
    update.setExpression(`${failuresName} = list_append(${failuresName}, ${update.value(appended)})`);
    update.condition(`size(${failuresName}) = ${update.value(expectedInlineCount)}`);
  }
  if (assetProblems.length > 0) {
    const problemsName = update.name('asset_problems');
    update.setExpression(`${problemsName} = list_append(if_not_exists(${problemsName}, ${update.value([])}), ${update.value([...assetProblems])})`);
  }
  const { pk } = jobItemKey(job);
  return new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: ctx.tables.Imports,
          Item: {
            pk,
            sk: importsTableKeys.chunkResult(job.importId, chunkIndex),
            import_id: job.importId,
            chunk_index: chunkIndex,
            counts,
            failures_count: failures.length,
            recorded_at: now.toISOString(),
            expires_at: Math.floor(now.getTime() / 1000) + chunkMarkerLifetimeSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Update: { TableName: ctx.tables.Imports, Key: jobItemKey(job), ...update.build() } },
    ],
  });
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
  update.condition('attribute_exists(pk)');
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
  if (positions.length === 0) return 'attribute_not_exists(pk)'; // nothing may move there: always false for an existing job
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

function isConflict(reasons: CancellationReason[] | undefined): boolean {
  return (reasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
}

/** Accumulates an UpdateExpression with generated placeholders, so callers never collide on names. */
class UpdateBuilder {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};
  private readonly sets: string[] = [];
  private readonly adds: string[] = [];
  private readonly removes: string[] = [];
  private readonly conditions: string[] = [];
  private nextValue = 0;

  /** `a.b` → `#a.#b`. */
  name(path: string): string {
    return path
      .split('.')
      .map((part) => {
        const placeholder = `#${part}`;
        this.names[placeholder] = part;
        return placeholder;
      })
      .join('.');
  }

  value(value: unknown): string {
    const placeholder = `:v${this.nextValue++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  set(path: string, value: unknown): this {
    this.sets.push(`${this.name(path)} = ${this.value(value)}`);
    return this;
  }

  setExpression(expression: string): this {
    this.sets.push(expression);
    return this;
  }

  add(path: string, amount: number): this {
    this.adds.push(`${this.name(path)} ${this.value(amount)}`);
    return this;
  }

  remove(path: string): this {
    this.removes.push(this.name(path));
    return this;
  }

  condition(expression: string): this {
    this.conditions.push(expression);
    return this;
  }

  build() {
    const clauses = [
      this.sets.length ? `SET ${this.sets.join(', ')}` : '',
      this.adds.length ? `ADD ${this.adds.join(', ')}` : '',
      this.removes.length ? `REMOVE ${this.removes.join(', ')}` : '',
    ].filter(Boolean);
    return {
      UpdateExpression: clauses.join(' '),
      ...(this.conditions.length ? { ConditionExpression: this.conditions.join(' AND ') } : {}),
      ExpressionAttributeNames: this.names,
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}
