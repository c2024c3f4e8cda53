import { beforeAll, describe, expect, it } from 'vitest';
import { useIsolatedResources, type IsolatedResources } from '../../../../../test/support/isolatedResources';
import { readFailureReport, writeFailureReport } from '../../../src/importWorkflow/job/failureReport';
import type { JobFailure } from '../../../src/importWorkflow/job/importJob';

let ctx: IsolatedResources;

beforeAll(async () => {
  ctx = await useIsolatedResources('failure report');
});

/** Failures as a finalizer would produce them: chunk by chunk, never as one list. */
async function* chunkFailures(chunks: number, perChunk: number): AsyncIterable<JobFailure> {
  for (let chunk = 0; chunk < chunks; chunk++) {
    await Promise.resolve();
    for (let i = 0; i < perChunk; i++) {
      yield { index: chunk * perChunk + i, conversation_id: `conv-${chunk}-${i}`, reason: `chunk ${chunk}: “bad” mapping ${i} 😀` };
    }
  }
}

describe('writeFailureReport', () => {
  it('round-trips a report under reports/<user>/<import>.json', async () => {
    const { key, count } = await writeFailureReport(ctx, 'u1', 'imp-1', chunkFailures(3, 4));
    expect(key).toBe('reports/u1/imp-1.json');
    expect(count).toBe(12);
    const report = await readFailureReport(ctx, 'u1', 'imp-1');
    expect(report).toMatchObject({ import_id: 'imp-1', user_id: 'u1', failure_count: 12 });
    expect(report?.failures).toHaveLength(12);
    expect(report?.failures[5]).toEqual({ index: 5, conversation_id: 'conv-1-1', reason: 'chunk 1: “bad” mapping 1 😀' });
  });

  it('writes an empty report, and accepts a plain array (whole-chunk failures have no id)', async () => {
    expect(await writeFailureReport(ctx, 'u1', 'imp-empty', [])).toEqual({ key: 'reports/u1/imp-empty.json', count: 0 });
    expect((await readFailureReport(ctx, 'u1', 'imp-empty'))?.failures).toEqual([]);

    await writeFailureReport(ctx, 'u1', 'imp-chunk', [{ conversation_id: null, reason: 'chunk 3 failed: timeout' }]);
    expect((await readFailureReport(ctx, 'u1', 'imp-chunk'))?.failures).toEqual([
      { conversation_id: null, reason: 'chunk 3 failed: timeout' },
    ]);
  });

  it('streams a report larger than one part as a multipart upload', async () => {
    // ~6.5 MB of JSON over 5 MiB parts: two parts
    const { count } = await writeFailureReport(ctx, 'u2', 'imp-big', chunkFailures(100, 800), { partBytes: 5 * 1024 * 1024 });
    expect(count).toBe(80_000);
    const report = await readFailureReport(ctx, 'u2', 'imp-big');
    expect(report?.failure_count).toBe(80_000);
    expect(report?.failures).toHaveLength(80_000);
    expect(report?.failures[79_999]?.conversation_id).toBe('conv-99-799');
  });

  it('reads a missing report as null', async () => {
    expect(await readFailureReport(ctx, 'u3', 'never')).toBeNull();
  });
});
