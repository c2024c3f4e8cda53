import { describe, expect, it } from 'vitest';
import { emptyJobCounts, type JobCounts } from './importJob';
import { decideOutcome, type OutcomeFields } from './jobOutcome';

function job(counts: Partial<JobCounts>, rest: Partial<Omit<OutcomeFields, 'counts'>> = {}): OutcomeFields {
  return { counts: { ...emptyJobCounts(), ...counts }, chunks_total: 2, chunks_done: 2, missing_shards: [], read_errors: [], ...rest };
}

describe('decideOutcome', () => {
  it('SUCCEEDED when every conversation was written (created, updated, unchanged or kept newer)', () => {
    expect(
      decideOutcome(job({ conversations_total: 4, conversations_created: 1, conversations_updated: 1, conversations_unchanged: 1, conversations_skipped_stale: 1 })),
    ).toEqual({ status: 'SUCCEEDED', reason: null });
  });

  it('FAILED when the export holds no conversations', () => {
    expect(decideOutcome(job({}, { chunks_total: 0, chunks_done: 0 }))).toEqual({
      status: 'FAILED',
      reason: 'no conversations found in the export',
    });
  });

  it('FAILED naming the missing shards when they were all that was listed', () => {
    const outcome = decideOutcome(job({}, { chunks_total: 0, chunks_done: 0, missing_shards: ['conversations-000.json', 'conversations-001.json'] }));
    expect(outcome.status).toBe('FAILED');
    expect(outcome.reason).toContain('conversations-000.json, conversations-001.json');
  });

  it('FAILED when every conversation failed', () => {
    expect(decideOutcome(job({ conversations_total: 3, conversations_failed: 3 }))).toEqual({
      status: 'FAILED',
      reason: 'all 3 conversations failed',
    });
  });

  it('FAILED when every chunk failed', () => {
    expect(decideOutcome(job({ conversations_total: 10 }, { chunks_done: 0 }))).toEqual({
      status: 'FAILED',
      reason: 'every chunk failed (2)',
    });
  });

  it('PARTIAL when some conversations failed', () => {
    expect(decideOutcome(job({ conversations_total: 3, conversations_created: 2, conversations_failed: 1 }))).toEqual({
      status: 'PARTIAL',
      reason: '1 conversation(s) failed',
    });
  });

  it('PARTIAL when a chunk was lost (no result recorded, or given up explicitly)', () => {
    expect(decideOutcome(job({ conversations_total: 3, conversations_created: 2 }, { chunks_done: 1 })).status).toBe('PARTIAL');
    expect(decideOutcome(job({ conversations_total: 3, conversations_created: 2 }), 1)).toEqual({
      status: 'PARTIAL',
      reason: '1 chunk(s) failed',
    });
  });

  it('PARTIAL when a shard is missing but others were imported', () => {
    const shards = Array.from({ length: 7 }, (_, i) => `conversations-00${i}.json`);
    const outcome = decideOutcome(job({ conversations_total: 3, conversations_created: 3 }, { missing_shards: shards }));
    expect(outcome.status).toBe('PARTIAL');
    expect(outcome.reason).toBe(
      '7 file(s) missing from the archive (conversations-000.json, conversations-001.json, conversations-002.json, conversations-003.json, conversations-004.json, and 2 more)',
    );
  });

  it('PARTIAL with what could not be read first, in the user\'s words', () => {
    const readError = 'my export.json: ended at byte 5200 inside the conversation starting at byte 4000 (the file is truncated); the 3 conversations before it were imported';
    const outcome = decideOutcome(job({ conversations_total: 3, conversations_created: 3 }, { read_errors: [readError], missing_shards: ['conversations-009.json'] }));
    expect(outcome).toEqual({ status: 'PARTIAL', reason: `${readError}; 1 file(s) missing from the archive (conversations-009.json)` });
  });

  it('FAILED with the read error when nothing before it could be chunked', () => {
    const readError = 'export.zip: conversations-000.json is truncated: it has 10 of the 90 bytes the export\'s manifest lists';
    expect(decideOutcome(job({}, { chunks_total: 0, chunks_done: 0, read_errors: [readError] }))).toEqual({
      status: 'FAILED',
      reason: `no conversations found: ${readError}`,
    });
  });
});
