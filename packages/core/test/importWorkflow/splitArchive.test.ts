import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectKeys } from '../../src/archive/objectKeys';
import { buildTestZip, patchBytes } from '@threadline/testkit/testZip';
import type { ChunkLine } from '../../src/importWorkflow/steps/chunkManifest';
import { jobContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import { readJsonLines, readJsonObject } from '../../src/importWorkflow/steps/s3JsonObjects';
import { splitArchive } from '../../src/importWorkflow/steps/splitArchive';
import { UnreadableExport } from '../../src/importWorkflow/steps/unreadableExport';
import { getJob } from '../../src/importWorkflow/job/jobRepository';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { generatedExport, importContextOf, manifestLines, rawConversations, uploadExport } from './importTestKit';

let ctx: ImportContext;

beforeAll(async () => {
  ctx = importContextOf(await useIsolatedResources('split'));
});

async function chunkLines(importId: string, chunk: number): Promise<ChunkLine[]> {
  const lines: ChunkLine[] = [];
  for await (const line of readJsonLines<ChunkLine>(ctx.clients.s3, ctx.resources.bucket, objectKeys.chunk(importId, chunk))) lines.push(line);
  return lines;
}

async function idList(importId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of readJsonLines<string>(ctx.clients.s3, ctx.resources.bucket, objectKeys.conversationIds(importId))) ids.push(id);
  return ids;
}

describe('splitArchive', () => {
  it('cuts a generated export into bounded chunks, a manifest and the id list, and records totals', async () => {
    const input = await uploadExport(ctx, await generatedExport(60));
    const output = await splitArchive(ctx, input, { chunkLimits: { maxConversations: 25, maxBytes: 16 * 1024 * 1024 } });

    expect(output).toEqual({ chunks: 3, manifestKey: objectKeys.manifest(input.importId), conversations: 60, duplicates: 0, missingShards: 0 });
    const manifest = await manifestLines(ctx, input.importId);
    expect(manifest.map((line) => [line.chunk, line.key, line.conversations, line.skip])).toEqual([
      [0, objectKeys.chunk(input.importId, 0), 25, []],
      [1, objectKeys.chunk(input.importId, 1), 25, []],
      [2, objectKeys.chunk(input.importId, 2), 10, []],
    ]);
    const second = await chunkLines(input.importId, 1);
    expect(second.map((line) => line.index)).toEqual(Array.from({ length: 25 }, (_, i) => 25 + i));
    expect(second[0]!.conversation).toMatchObject({ mapping: expect.any(Object) });
    const ids = await idList(input.importId);
    expect(new Set(ids).size).toBe(60);

    const job = await getJob(jobContextOf(ctx), input);
    expect(job).toMatchObject({ status: 'RUNNING', stage: 'PROCESSING', chunks_total: 3, missing_shards: [] });
    expect(job!.counts).toMatchObject({ conversations_total: 60, duplicates: 0 });
    expect(job!.bytes_read).toBe(job!.bytes_total);
  });

  it('bounds chunks by bytes too', async () => {
    const input = await uploadExport(ctx, await generatedExport(12, 0, 3));
    const output = await splitArchive(ctx, input, { chunkLimits: { maxConversations: 250, maxBytes: 1 } });
    // Every conversation exceeds one byte: each gets a chunk of its own.
    expect(output.chunks).toBe(12);
    expect((await manifestLines(ctx, input.importId)).every((line) => line.conversations === 1)).toBe(true);
  });

  it('reads every shard of a sharded export', async () => {
    const input = await uploadExport(ctx, await generatedExport(40, 4, 9));
    const output = await splitArchive(ctx, input);
    expect(output).toMatchObject({ chunks: 1, conversations: 40, missingShards: 0 });
    expect((await chunkLines(input.importId, 0)).map((line) => line.index)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('keeps the newer copy of a duplicated id: drops an older later copy, skips a superseded earlier one', async () => {
    const conversations = rawConversations(6);
    const newerCopy = { ...conversations[1], update_time: Number(conversations[1]!.update_time) + 1000 };
    const olderCopy = { ...conversations[2], update_time: Number(conversations[2]!.update_time) - 1000 };
    const all = [...conversations, newerCopy, olderCopy]; // ordinals 0..5, 6 = newer copy of 1, 7 = older copy of 2
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify(all)), { extension: 'json' });
    const output = await splitArchive(ctx, input, { chunkLimits: { maxConversations: 3, maxBytes: 16 * 1024 * 1024 } });

    expect(output).toMatchObject({ conversations: 6, duplicates: 2 });
    const manifest = await manifestLines(ctx, input.importId);
    expect(manifest.map((line) => ({ conversations: line.conversations, skip: line.skip }))).toEqual([
      { conversations: 3, skip: [1] },
      { conversations: 3, skip: [] },
      { conversations: 1, skip: [] },
    ]);
    expect((await chunkLines(input.importId, 2)).map((line) => line.index)).toEqual([6]);
    expect((await getJob(jobContextOf(ctx), input))!.counts).toMatchObject({ conversations_total: 6, duplicates: 2 });
  });

  it('drops a superseded copy still in the chunk being filled', async () => {
    const [first, second] = rawConversations(2, 5);
    const newer = { ...first, update_time: Number(first!.update_time) + 1 };
    const input = await uploadExport(ctx, Buffer.from(JSON.stringify([first, second, newer])), { extension: 'json' });
    await splitArchive(ctx, input);
    expect((await chunkLines(input.importId, 0)).map((line) => line.index)).toEqual([1, 2]);
    expect((await manifestLines(ctx, input.importId))[0]).toMatchObject({ conversations: 2, skip: [] });
  });

  it('fails an unreadable archive with a one-line human message', async () => {
    const input = await uploadExport(ctx, Buffer.from('this is not a zip file at all'));
    const error = await splitArchive(ctx, input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableExport);
    expect((error as Error).name).toBe('UnreadableExport');
    expect((error as Error).message).toMatch(/^The upload is not a readable ChatGPT export: .*not a ZIP archive/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('keeps what was read before a malformed shard and says, naming the upload, what was not read', async () => {
    const good = rawConversations(3, 21);
    const later = rawConversations(2, 21, 3);
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: JSON.stringify(good) },
      { name: 'conversations-001.json', content: `[${JSON.stringify(later[0])}, {"id": oops}]` },
      { name: 'conversations-002.json', content: JSON.stringify([later[1]]) },
      {
        name: 'export_manifest.json',
        content: JSON.stringify({ conversation_shards: ['conversations-000.json', 'conversations-001.json', 'conversations-002.json', 'conversations-003.json'] }),
      },
    ]);
    const input = await uploadExport(ctx, zip, { fileName: 'chatgpt-2026-11.zip' });
    const output = await splitArchive(ctx, input);

    expect(output).toMatchObject({ chunks: 1, conversations: 4, missingShards: 1 });
    const job = await getJob(jobContextOf(ctx), input);
    expect(job!.missing_shards).toEqual(['conversations-003.json']);
    expect(job!.read_errors).toEqual([
      expect.stringMatching(
        /^chatgpt-2026-11\.zip: conversations-001\.json: malformed JSON at byte \d+ .*; the 4 conversation\(s\) before it were imported; not read: the rest of conversations-001\.json, conversations-002\.json$/,
      ),
    ]);
    const failures = await readJsonObject<{ conversation_id: null; reason: string }[]>(ctx.clients.s3, ctx.resources.bucket, objectKeys.splitFailures(input.importId));
    expect(failures).toEqual([{ conversation_id: null, reason: job!.read_errors[0] }]);
  });

  it('says where a truncated JSON upload broke, by the name the user uploaded it under', async () => {
    const whole = JSON.stringify(rawConversations(5, 23));
    const cut = whole.slice(0, Math.floor(whole.length * 0.7));
    const input = await uploadExport(ctx, Buffer.from(cut), { extension: 'json', fileName: 'conversations (1).json' });
    const output = await splitArchive(ctx, input);
    const job = await getJob(jobContextOf(ctx), input);
    expect(job!.missing_shards).toEqual([]);
    expect(job!.read_errors).toHaveLength(1);
    expect(job!.read_errors[0]).toMatch(
      new RegExp(
        `^conversations \\(1\\)\\.json: ended at byte ${Buffer.byteLength(cut)} inside the conversation starting at byte \\d+ \\(the file is truncated\\); ` +
          `the ${output.conversations} conversation\\(s\\) before it were imported$`,
      ),
    );
    expect(output.conversations).toBeGreaterThan(0);
    expect(job!.read_errors[0]).not.toContain(input.importId);
  });

  it('reads a complete 2026 export with its real manifest as complete, and flags a shard shorter than listed', async () => {
    const first = JSON.stringify(rawConversations(2, 25));
    const second = JSON.stringify(rawConversations(2, 25, 2));
    const manifest = {
      version: 1,
      manifest_file: 'export_manifest.json',
      export_files: [
        { path: 'conversations-000.json', size_bytes: Buffer.byteLength(first) },
        { path: 'conversations-001.json', size_bytes: Buffer.byteLength(second) + 100 },
      ],
      logical_files: { 'conversations.json': { files: ['conversations-000.json', 'conversations-001.json'], shard_count: 2, sharded: true } },
    };
    const zip = await buildTestZip([
      { name: 'export_manifest.json', content: JSON.stringify(manifest) },
      { name: 'conversations-000.json', content: first },
      { name: 'conversations-001.json', content: second },
    ]);
    const input = await uploadExport(ctx, zip, { fileName: 'export-2026.zip' });
    expect(await splitArchive(ctx, input)).toMatchObject({ conversations: 4, missingShards: 0 });
    const job = await getJob(jobContextOf(ctx), input);
    expect(job!.missing_shards).toEqual([]);
    expect(job!.read_errors).toEqual([
      `export-2026.zip: conversations-001.json is truncated: it has ${Buffer.byteLength(second)} of the ${Buffer.byteLength(second) + 100} bytes the export's manifest lists`,
    ]);
  });

  it('fails a damaged archive even after conversations were read from it: its bytes cannot be trusted', async () => {
    const [first, second] = rawConversations(2, 27);
    const zip = await buildTestZip([{ name: 'conversations.json', content: JSON.stringify([first, { ...second, title: 'aaaa' }]), compress: false }]);
    const input = await uploadExport(ctx, patchBytes(zip, '"aaaa"', '"bbbb"'), { fileName: 'damaged.zip' });
    await expect(splitArchive(ctx, input)).rejects.toMatchObject({
      name: 'UnreadableExport',
      message: 'The upload is not a readable ChatGPT export: damaged.zip is a damaged ZIP archive: conversations.json fails its CRC-32 check',
    });
  });

  it('fails when the first shard is malformed before any conversation', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: '[{"id": nope}]' }]);
    const input = await uploadExport(ctx, zip);
    await expect(splitArchive(ctx, input)).rejects.toMatchObject({ name: 'UnreadableExport', message: expect.stringContaining('malformed JSON') });
    // The split wrote no manifest.
    await expect(ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.resources.bucket, Key: objectKeys.manifest(input.importId) }))).rejects.toThrow();
  });
});
