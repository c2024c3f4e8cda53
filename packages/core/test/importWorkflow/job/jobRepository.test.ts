import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { useIsolatedResources, type IsolatedResources } from '../../../../../test/support/isolatedResources';
import {
  createJob,
  finishJob,
  getJob,
  markJobFailed,
  recordSplitProgress,
  recordSplitResult,
  startStage,
} from '../../../src/importWorkflow/job/jobRepository';
import { recordChunkResult } from '../../../src/importWorkflow/job/chunkResultTransaction';
import { listJobs } from '../../../src/importWorkflow/job/jobListing';
import { decideOutcome } from '../../../src/importWorkflow/job/jobOutcome';
import type { JobKey } from '../../../src/importWorkflow/job/importsTableKeys';
import type { JobFailure } from '../../../src/importWorkflow/job/importJob';

let ctx: IsolatedResources;
let nextId = 0;

beforeAll(async () => {
  ctx = await useIsolatedResources('job repository');
});

function source() {
  return { key: 'imports/u/x.zip', bytes: 1000, name: 'export.zip' };
}

/** A created job of its own user, so tests never share a partition. */
async function newJob(stage?: 'SPLITTING' | 'PROCESSING'): Promise<JobKey> {
  nextId++;
  const key = { userId: `user-${nextId}`, importId: `import-${nextId}` };
  await createJob(ctx, { ...key, source: source() });
  if (stage) await startStage(ctx, key, stage);
  return key;
}

function failuresOf(chunk: number, n: number): JobFailure[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, conversation_id: `c-${chunk}-${i}`, reason: `bad ${chunk}/${i}` }));
}

describe('createJob', () => {
  it('creates a QUEUED job with zero counters', async () => {
    const key = { userId: 'creator', importId: 'first' };
    const { created, job } = await createJob(ctx, { ...key, source: source(), options: { mirror: true } });
    expect(created).toBe(true);
    const stored = await getJob(ctx, key);
    expect(stored).toEqual(job);
    expect(stored).toMatchObject({
      status: 'QUEUED',
      stage: null,
      options: { mirror: true },
      bytes_total: 1000,
      chunks_done: 0,
      failures: [],
      progress_percent: 0,
      report_key: null,
    });
    expect(stored?.counts.conversations_created).toBe(0);
  });

  it('is idempotent: the same import id again neither fails nor resets the job', async () => {
    const key = await newJob('SPLITTING');
    const again = await createJob(ctx, { ...key, source: { key: 'other', bytes: 5, name: 'other.zip' } });
    expect(again.created).toBe(false);
    expect(again.job).toMatchObject({ status: 'RUNNING', stage: 'SPLITTING', source: source() });
  });
});

describe('transitions', () => {
  it('walks QUEUED → SPLITTING → PROCESSING → FINALIZING → SUCCEEDED with progress', async () => {
    const key = await newJob();
    const splitting = await startStage(ctx, key, 'SPLITTING', 'reading the archive');
    expect(splitting).toMatchObject({ applied: true, job: { status: 'RUNNING', stage: 'SPLITTING', stage_message: 'reading the archive' } });
    expect(splitting.job?.started_at).toBeTruthy();

    expect((await recordSplitProgress(ctx, key, 500, 1000)).job?.progress_percent).toBe(10);
    const split = await recordSplitResult(ctx, key, { conversations_total: 3, chunks_total: 2, duplicates: 1 });
    expect(split.job).toMatchObject({ chunks_total: 2, bytes_read: 1000, counts: { conversations_total: 3, duplicates: 1 } });

    expect((await startStage(ctx, key, 'PROCESSING')).job?.progress_percent).toBe(20);
    await recordChunkResult(ctx, key, 0, { counts: { conversations_created: 2, messages_put: 10 } });
    expect((await getJob(ctx, key))?.progress_percent).toBe(57);
    await recordChunkResult(ctx, key, 1, { counts: { conversations_updated: 1, messages_put: 4 } });
    expect((await startStage(ctx, key, 'FINALIZING')).job?.progress_percent).toBe(95);

    const job = (await getJob(ctx, key))!;
    expect(decideOutcome(job)).toEqual({ status: 'SUCCEEDED', reason: null });
    const finished = await finishJob(ctx, key, 'SUCCEEDED');
    expect(finished).toMatchObject({ applied: true, job: { status: 'SUCCEEDED', stage: 'FINALIZING', progress_percent: 100, error: null } });
    expect(finished.job?.finished_at).toBeTruthy();
    expect(finished.job?.counts).toMatchObject({ conversations_created: 2, conversations_updated: 1, messages_put: 14 });
  });

  it('keeps started_at from the first stage', async () => {
    const key = await newJob('SPLITTING');
    const first = (await getJob(ctx, key))!.started_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await startStage(ctx, key, 'PROCESSING')).job?.started_at).toBe(first);
  });

  it('refuses to move a stage back', async () => {
    const key = await newJob('PROCESSING');
    const back = await startStage(ctx, key, 'SPLITTING');
    expect(back).toMatchObject({ applied: false, reason: 'stage SPLITTING comes before the current stage PROCESSING' });
    expect(back.job?.stage).toBe('PROCESSING');
  });

  it('never moves a finished job back to RUNNING; a duplicated finish is a no-op', async () => {
    const key = await newJob('PROCESSING');
    await finishJob(ctx, key, 'PARTIAL', { error: '1 conversation(s) failed', reportKey: 'reports/u/x.json' });
    const before = await getJob(ctx, key);

    expect(await startStage(ctx, key, 'FINALIZING')).toMatchObject({ applied: false, reason: 'the job already ended PARTIAL' });
    expect((await finishJob(ctx, key, 'PARTIAL')).applied).toBe(false);
    expect((await finishJob(ctx, key, 'SUCCEEDED')).applied).toBe(false);
    expect((await markJobFailed(ctx, key, new Error('late catch'))).applied).toBe(false);
    expect(await recordChunkResult(ctx, key, 7, { counts: { conversations_created: 1 } })).toEqual({
      recorded: false,
      reason: 'job-not-processing',
    });
    expect((await recordSplitProgress(ctx, key, 999, 1000)).applied).toBe(false);

    expect(await getJob(ctx, key)).toEqual(before);
    expect(before).toMatchObject({ status: 'PARTIAL', error: '1 conversation(s) failed', report_key: 'reports/u/x.json' });
  });

  it('refuses to succeed a job that never ran, but lets it fail', async () => {
    const key = await newJob();
    expect((await finishJob(ctx, key, 'SUCCEEDED')).applied).toBe(false);
    const failed = await markJobFailed(ctx, key, 'x'.repeat(2000));
    expect(failed.applied).toBe(true);
    expect(failed.job?.status).toBe('FAILED');
    expect(failed.job?.error).toHaveLength(500);
  });

  it('reports a missing job instead of creating one', async () => {
    const key = { userId: 'nobody', importId: 'nothing' };
    expect(await startStage(ctx, key, 'SPLITTING')).toEqual({ applied: false, job: null, reason: 'no such job' });
    expect(await finishJob(ctx, key, 'FAILED')).toMatchObject({ applied: false, job: null });
    expect(await recordChunkResult(ctx, key, 0, { counts: {} })).toEqual({ recorded: false, reason: 'not-found' });
    expect(await getJob(ctx, key)).toBeNull();
  });

  it('keeps split progress monotonic', async () => {
    const key = await newJob('SPLITTING');
    expect((await recordSplitProgress(ctx, key, 600, 1000)).applied).toBe(true);
    const late = await recordSplitProgress(ctx, key, 300, 1000);
    expect(late.applied).toBe(false);
    expect(late.job?.bytes_read).toBe(600);
  });
});

describe('recordChunkResult', () => {
  it('counts a chunk recorded twice once', async () => {
    const key = await newJob('PROCESSING');
    const result = { counts: { conversations_created: 3, messages_put: 30, objects_offloaded: 1 }, failures: failuresOf(0, 2) };
    expect(await recordChunkResult(ctx, key, 0, result)).toEqual({ recorded: true });
    expect(await recordChunkResult(ctx, key, 0, result)).toEqual({ recorded: false, reason: 'duplicate' });
    const job = (await getJob(ctx, key))!;
    expect(job.chunks_done).toBe(1);
    expect(job.counts).toMatchObject({ conversations_created: 3, messages_put: 30, objects_offloaded: 1 });
    expect(job.failures).toEqual(failuresOf(0, 2));
  });

  it('keeps exact sums under 20 concurrent chunk results, each also delivered twice', async () => {
    const key = await newJob('PROCESSING');
    const results = Array.from({ length: 20 }, (_, chunk) => ({
      counts: { conversations_created: chunk + 1, messages_put: 10 * (chunk + 1), conversations_failed: chunk % 3 === 0 ? 1 : 0 },
      failures: chunk % 3 === 0 ? failuresOf(chunk, 1) : [],
    }));
    const outcomes = await Promise.all(
      [...results, ...results].map((result, i) => recordChunkResult(ctx, key, i % 20, result)),
    );
    expect(outcomes.filter((o) => o.recorded)).toHaveLength(20);
    const job = (await getJob(ctx, key))!;
    expect(job.chunks_done).toBe(20);
    expect(job.counts.conversations_created).toBe(210);
    expect(job.counts.messages_put).toBe(2100);
    expect(job.counts.conversations_failed).toBe(7);
    expect(job.failures.map((f) => f.conversation_id).sort()).toEqual(
      [0, 3, 6, 9, 12, 15, 18].map((chunk) => `c-${chunk}-0`).sort(),
    );
  });

  it('caps inline failures at 100, exactly, even when chunks race', async () => {
    const key = await newJob('PROCESSING');
    await Promise.all(
      Array.from({ length: 8 }, (_, chunk) =>
        recordChunkResult(ctx, key, chunk, { counts: { conversations_failed: 30 }, failures: failuresOf(chunk, 30) }),
      ),
    );
    const job = (await getJob(ctx, key))!;
    expect(job.counts.conversations_failed).toBe(240);
    expect(job.chunks_done).toBe(8);
    expect(job.failures).toHaveLength(100);
    expect(new Set(job.failures.map((f) => f.conversation_id)).size).toBe(100);

    await recordChunkResult(ctx, key, 8, { counts: { conversations_failed: 1 }, failures: failuresOf(8, 1) });
    expect((await getJob(ctx, key))!.failures).toHaveLength(100);
  });

  it('truncates long inline failure reasons', async () => {
    const key = await newJob('PROCESSING');
    await recordChunkResult(ctx, key, 0, { counts: {}, failures: [{ conversation_id: null, reason: 'y'.repeat(5000) }] });
    const [failure] = (await getJob(ctx, key))!.failures;
    expect(failure).toMatchObject({ conversation_id: null });
    expect(failure?.reason).toHaveLength(500);
  });

  it('refuses chunk results once the job is finalizing', async () => {
    const key = await newJob('PROCESSING');
    await startStage(ctx, key, 'FINALIZING');
    expect(await recordChunkResult(ctx, key, 0, { counts: { conversations_created: 1 } })).toEqual({
      recorded: false,
      reason: 'job-not-processing',
    });
    expect((await getJob(ctx, key))!.chunks_done).toBe(0);
  });

  it('keeps chunk markers out of the job range and gives them a TTL', async () => {
    const key = await newJob('PROCESSING');
    await recordChunkResult(ctx, key, 4, { counts: { messages_put: 2 } });
    const { Items } = await ctx.clients.dynamo.send(
      new QueryCommand({
        TableName: ctx.tables.Imports,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${key.userId}` },
      }),
    );
    expect(Items?.map((item) => item.sk).sort()).toEqual([`CHUNK#${key.importId}#000004`, `IMPORT#${key.importId}`]);
    const { Item } = await ctx.clients.dynamo.send(
      new GetCommand({ TableName: ctx.tables.Imports, Key: { pk: `USER#${key.userId}`, sk: `CHUNK#${key.importId}#000004` } }),
    );
    expect(Item).toMatchObject({ chunk_index: 4, counts: { messages_put: 2 }, failures_count: 0 });
    expect(Item?.expires_at).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('listJobs', () => {
  it('lists a user’s jobs newest first, page by page, without failure lists', async () => {
    let tick = Date.now(); // near real time: chunk markers' TTL must not have passed (DynamoDB Local sweeps)
    const clocked = { ...ctx, now: () => new Date((tick += 1000)) };
    // ids deliberately not in creation order
    const ids = ['m', 'c', 'x', 'a', 'q'];
    for (const importId of ids) await createJob(clocked, { userId: 'lister', importId, source: source() });
    await startStage(clocked, { userId: 'lister', importId: 'x' }, 'PROCESSING');
    await recordChunkResult(clocked, { userId: 'lister', importId: 'x' }, 0, { counts: {}, failures: failuresOf(0, 1) });

    const first = await listJobs(ctx, 'lister', { limit: 2 });
    expect(first.jobs.map((j) => j.import_id)).toEqual(['q', 'a']);
    expect(first.cursor).not.toBeNull();
    const second = await listJobs(ctx, 'lister', { limit: 2, cursor: first.cursor });
    expect(second.jobs.map((j) => j.import_id)).toEqual(['x', 'c']);
    expect(second.jobs[0]).not.toHaveProperty('failures');
    expect(second.jobs[0]).toMatchObject({ status: 'RUNNING', stage: 'PROCESSING', progress_percent: 20 });
    const third = await listJobs(ctx, 'lister', { limit: 2, cursor: second.cursor });
    expect(third).toEqual({ jobs: [expect.objectContaining({ import_id: 'm' })], cursor: null });

    expect(await listJobs(ctx, 'nobody-at-all')).toEqual({ jobs: [], cursor: null });
  });
});
