// The export's files through Split and the chunks, on DynamoDB Local and s3rver: both layouts,
// re-import, deletion, missing files and each kind of bad input.

import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectKeys } from '../../src/archive/objectKeys';
import { conversation, message, node } from '../../src/conversation/rawConversationBuilder.fixture';
import { buildTestZip, patchBytes } from '@threadline/testkit/testZip';
import { acquireLock } from '../../src/importWorkflow/steps/acquireLock';
import { finalizeImport } from '../../src/importWorkflow/steps/finalizeImport';
import { storeContextOf, jobContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import type { ImportExecutionInput } from '../../src/importWorkflow/importWorkflowState';
import { processChunk } from '../../src/importWorkflow/steps/processChunk';
import { splitArchive } from '../../src/importWorkflow/steps/splitArchive';
import { getJob } from '../../src/importWorkflow/job/jobRepository';
import { deleteConversation } from '../../src/archive/deleteConversation';
import { listMessages } from '../../src/archive/listMessages';
import { withMessageAssets, type MessageAsset } from '../../src/archive/messageAssets';
import { generateExport } from '@threadline/generator/generateExport';
import { syntheticPng, syntheticWav } from '@threadline/generator/syntheticAssetBytes';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { importContextOf, manifestLines, uploadExport, writeMapResults } from './importTestKit';

let ctx: ImportContext;
beforeAll(async () => {
  ctx = importContextOf(await useIsolatedResources('export-assets'));
});

const smallChunks = { chunkLimits: { maxConversations: 3, maxBytes: 16 * 1024 * 1024 } };

async function runImport(input: ImportExecutionInput) {
  await acquireLock(ctx, input);
  const split = await splitArchive(ctx, input, smallChunks);
  const lines = await manifestLines(ctx, input.importId);
  for (const line of lines) await processChunk(ctx, { importId: input.importId, userId: input.userId, chunkIndex: line.chunk, chunk: line });
  const processed = await writeMapResults(ctx, input.importId, { succeeded: lines, failed: [] });
  await finalizeImport(ctx, { ...input, split, processed } as Parameters<typeof finalizeImport>[1]);
  return (await getJob(jobContextOf(ctx), input))!;
}

async function assetsOf(userId: string, conversationId: string): Promise<MessageAsset[]> {
  const page = await listMessages(storeContextOf(ctx), userId, conversationId, { limit: 1000 });
  return (await withMessageAssets(storeContextOf(ctx), userId, page.items)).flatMap((m) => m.assets);
}

async function storedAssetKeys(userId: string): Promise<string[]> {
  const page = await ctx.clients.s3.send(new ListObjectsV2Command({ Bucket: ctx.resources.bucket, Prefix: objectKeys.assetPrefix(userId) }));
  return (page.Contents ?? []).map((object) => object.Key!).sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const { Body } = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.resources.bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A conversation whose one user message shows an image part and attaches a document. */
function withFiles(id: string, parts: { pointer?: string; attachment?: { id: string; name: string; mime_type: string } }[]) {
  const content = parts.filter((p) => p.pointer).map((p) => ({ content_type: p.pointer!.includes('audio') ? 'audio_asset_pointer' : 'image_asset_pointer', asset_pointer: p.pointer!.replace('audio:', '') }));
  const attachments = parts.filter((p) => p.attachment).map((p) => p.attachment!);
  const user = message(`${id}-u`, 'user', [...content, 'look at this'], { metadata: { attachments } });
  user.content = { content_type: 'multimodal_text', parts: [...content, 'look at this'] };
  return conversation([node('root', null), node(`${id}-u`, 'root', user), node(`${id}-a`, `${id}-u`, message(`${id}-a`, 'assistant', 'nice'))], { id, conversation_id: id });
}

async function generated(options: { shards?: number; seed: number }): Promise<Buffer> {
  const out = join(tmpdir(), `threadline-assets-${process.pid}-${options.seed}-${options.shards ?? 0}.zip`);
  await generateExport({ conversations: 24, seed: options.seed, shards: options.shards, assets: true, out });
  return readFile(out);
}

describe('files of a 2023–25 export', () => {
  let bytes: Buffer;
  let input: ImportExecutionInput;
  let first: Awaited<ReturnType<typeof runImport>>;

  beforeAll(async () => {
    bytes = await generated({ seed: 21 });
    input = await uploadExport(ctx, bytes);
    first = await runImport(input);
  });

  it('stores each file once by sha256, counts the ones the export lacks, and links them from their messages', async () => {
    expect(first.status).toBe('SUCCEEDED');
    expect(first.asset_problems).toEqual([]);
    expect(first.counts.assets_stored).toBeGreaterThan(5);
    expect(first.counts.assets_missing).toBeGreaterThan(0);
    expect(first.counts.assets_unchanged).toBe(0);
    const keys = await storedAssetKeys(input.userId);
    expect(keys).toHaveLength(first.counts.assets_stored);
    let total = 0;
    for (const key of keys) {
      const stored = await objectBytes(key);
      expect(key).toBe(objectKeys.asset(input.userId, sha(stored)));
      total += stored.length;
    }
    expect(first.counts.asset_bytes_stored).toBe(total);
    expect(first.assets_total).toBe(first.counts.assets_stored);
  });

  it('resolves every message asset: stored ones with name, type, size and sha256; missing ones as not stored', async () => {
    const { listConversations } = await import('../../src/archive/listConversations');
    const page = await listConversations(storeContextOf(ctx), input.userId, { limit: 100 });
    const assets = (await Promise.all(page.items.map((item) => assetsOf(input.userId, item.conversation_id)))).flat();
    const stored = assets.filter((asset) => asset.stored);
    const missing = assets.filter((asset) => !asset.stored);
    expect(stored.length).toBeGreaterThan(0);
    expect(missing.length).toBeGreaterThan(0);
    for (const asset of missing) expect(asset.sha256).toBeNull();
    const types = new Set(stored.map((asset) => asset.mime_type));
    expect(types.has('image/png')).toBe(true);
    expect([...types].some((type) => type === 'audio/wav' || type === 'audio/x-wav')).toBe(true);
    for (const asset of stored) {
      const object = await objectBytes(objectKeys.asset(input.userId, asset.sha256!));
      expect(object.length).toBe(asset.bytes);
    }
  });

  it('writes no file again when the same export is imported again', async () => {
    const again = await runImport(await uploadExport(ctx, bytes, { userId: input.userId }));
    expect(again.status).toBe('SUCCEEDED');
    expect(again.counts.assets_stored).toBe(0);
    expect(again.counts.asset_bytes_stored).toBe(0);
    expect(again.counts.assets_unchanged).toBe(first.counts.assets_stored);
    expect(again.counts.assets_missing).toBe(first.counts.assets_missing);
  });
});

describe('files of a 2026 export', () => {
  it('names .dat files from the name map and types them from their bytes', async () => {
    const input = await uploadExport(ctx, await generated({ seed: 22, shards: 2 }));
    const job = await runImport(input);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.asset_problems).toEqual([]);
    expect(job.counts.assets_stored).toBeGreaterThan(5);
    const { listConversations } = await import('../../src/archive/listConversations');
    const page = await listConversations(storeContextOf(ctx), input.userId, { limit: 100 });
    const stored = (await Promise.all(page.items.map((item) => assetsOf(input.userId, item.conversation_id)))).flat().filter((a) => a.stored);
    expect(stored.some((asset) => asset.mime_type === 'image/png' && /^IMG_\d+\.png$/.test(asset.name ?? ''))).toBe(true);
    expect(stored.some((asset) => asset.mime_type?.startsWith('audio/') && asset.name?.endsWith('.dat'))).toBe(true);
  });
});

describe('deleting conversations', () => {
  it('removes a file only when no other conversation of the user points at it', async () => {
    const shared = syntheticPng(4, 4, [1, 2, 3]);
    const own = syntheticWav(2000);
    const zip = await buildTestZip([
      {
        name: 'conversations.json',
        content: JSON.stringify([
          withFiles('c-one', [{ pointer: 'sediment://file_aa01' }, { pointer: 'audio:sediment://file_bb02' }]),
          withFiles('c-two', [{ pointer: 'sediment://file_aa01' }, { attachment: { id: 'file-CC03', name: 'same.png', mime_type: 'image/png' } }]),
        ]),
      },
      { name: 'user-u/file_aa01-1.png', content: shared, compress: false },
      { name: 'c-one/audio/file_bb02-2.wav', content: own },
      { name: 'file-CC03-same.png', content: shared },
    ]);
    const input = await uploadExport(ctx, zip);
    const job = await runImport(input);
    // file-CC03 has the same bytes as file_aa01: one object for both.
    expect(job.counts.assets_stored).toBe(2);
    expect(job.counts.assets_unchanged).toBe(1);
    expect(await storedAssetKeys(input.userId)).toEqual([objectKeys.asset(input.userId, sha(shared)), objectKeys.asset(input.userId, sha(own))].sort());

    const first = await deleteConversation(storeContextOf(ctx), input.userId, 'c-one');
    expect(first.assets_deleted).toBe(1);
    expect(await storedAssetKeys(input.userId)).toEqual([objectKeys.asset(input.userId, sha(shared))]);
    expect((await assetsOf(input.userId, 'c-two')).map((a) => a.stored)).toEqual([true, true]);

    const second = await deleteConversation(storeContextOf(ctx), input.userId, 'c-two');
    expect(second.assets_deleted).toBe(1);
    expect(await storedAssetKeys(input.userId)).toEqual([]);
  });
});

describe('mirror mode', () => {
  it('removes the files of the conversations the newer export no longer has', async () => {
    const userId = 'user-mirror-files';
    const kept = syntheticPng(6, 6, [4, 5, 6]);
    const dropped = syntheticWav(3000, 330);
    const files = [
      { name: 'file_ab11-k.png', content: kept },
      { name: 'c-drop/audio/file_ab22-d.wav', content: dropped },
    ];
    const both = [withFiles('c-keep', [{ pointer: 'sediment://file_ab11' }]), withFiles('c-drop', [{ pointer: 'audio:sediment://file_ab22' }])];
    await runImport(await uploadExport(ctx, await buildTestZip([{ name: 'conversations.json', content: JSON.stringify(both) }, ...files]), { userId }));
    expect(await storedAssetKeys(userId)).toHaveLength(2);
    const newer = await buildTestZip([{ name: 'conversations.json', content: JSON.stringify([both[0]]) }, files[0]!]);
    const job = await runImport(await uploadExport(ctx, newer, { userId, mirror: true }));
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts.assets_unchanged).toBe(1);
    expect(await storedAssetKeys(userId)).toEqual([objectKeys.asset(userId, sha(kept))]);
    expect((await assetsOf(userId, 'c-keep')).map((a) => a.stored)).toEqual([true]);
  });
});

describe('bad input', () => {
  it('reports each bad file on its own line, imports the conversations and keeps what is stored', async () => {
    const good = syntheticPng(3, 3, [9, 9, 9]);
    const userId = 'user-bad-input';
    // Stored first: file_dd04 with good bytes.
    const firstZip = await buildTestZip([
      { name: 'conversations.json', content: JSON.stringify([withFiles('c-first', [{ pointer: 'sediment://file_dd04' }])]) },
      { name: 'file_dd04-x.png', content: good },
    ]);
    expect((await runImport(await uploadExport(ctx, firstZip, { userId }))).counts.assets_stored).toBe(1);

    const conversations = JSON.stringify([
      withFiles('c-bad', [
        { pointer: 'sediment://file_dd04' },
        { pointer: 'sediment://file_ee05' },
        { pointer: 'sediment://file_ff06' },
        { pointer: 'sediment://file_0a07' },
        { pointer: 'sediment://file_0b08' },
      ]),
    ]);
    const zip = await buildTestZip([
      { name: 'conversations.json', content: conversations },
      // Other bytes for a file id already archived.
      { name: 'file_dd04.dat', content: syntheticPng(5, 5, [0, 0, 0]) },
      // Bytes no one knows.
      { name: 'file_ee05.dat', content: 'just some bytes' },
      // Two entries claim one id.
      { name: 'file_ff06.dat', content: good },
      { name: 'x/file_ff06-again.png', content: good },
      // Inflates far past 200:1.
      { name: 'file_0a07.dat', content: Buffer.alloc(3 * 1024 * 1024) },
      // An unsafe name (forged below).
      { name: 'xx/file_0b08.png', content: good },
      { name: 'conversation_asset_file_names.json', content: JSON.stringify({ 'file_0c09.dat': 'absent.pdf' }) },
    ]);
    const input = await uploadExport(ctx, patchBytes(zip, 'xx/file_0b08.png', '../file_0b08.png'), { userId, fileName: 'bad.zip' });
    const job = await runImport(input);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts.conversations_created).toBe(1);
    expect(job.asset_problems).toEqual(
      expect.arrayContaining([
        'bad.zip: skipped "../file_0b08.png", an unsafe file name (a real ChatGPT export never has one)',
        'bad.zip: two files claim file id file_ff06 (file_ff06.dat and x/file_ff06-again.png); kept the first, skipped x/file_ff06-again.png',
        expect.stringMatching(/^bad\.zip: file_0a07\.dat would expand \d+:1 \(limit 200:1\); refusing a possible zip bomb, not copied$/),
        'bad.zip: conversation_asset_file_names.json names 1 file(s) the export lacks (file_0c09.dat)',
        'bad.zip: file_dd04.dat differs from the file file_dd04 already archived; kept the archived one',
        'bad.zip: file_ee05.dat matches no known file type; kept as application/octet-stream',
      ]),
    );
    expect(job.asset_problems).toHaveLength(6);
    const assets = await assetsOf(userId, 'c-bad');
    expect(assets.map((a) => [a.pointer, a.stored, a.mime_type])).toEqual([
      ['sediment://file_dd04', true, 'image/png'],
      ['sediment://file_ee05', true, 'application/octet-stream'],
      ['sediment://file_ff06', true, 'image/png'],
      ['sediment://file_0a07', false, null],
      ['sediment://file_0b08', false, null],
    ]);
    // The archived bytes of file_dd04 are the first import's.
    expect(assets[0]!.sha256).toBe(sha(good));
    expect((await objectBytes(objectKeys.asset(userId, sha(good)))).equals(good)).toBe(true);
    expect(job.counts.assets_missing).toBe(2);
  });

  it('stores nothing for a file that inflates past the size its header declares', async () => {
    const payload = syntheticWav(40_000);
    const zip = await buildTestZip([
      { name: 'conversations.json', content: JSON.stringify([withFiles('c-lie', [{ pointer: 'audio:sediment://file_1d10' }])]) },
      { name: 'file_1d10.dat', content: payload },
    ]);
    // Forge the declared uncompressed size (central directory and local header) to 1,000 bytes.
    const forged = Buffer.from(zip);
    const name = Buffer.from('file_1d10.dat');
    for (let at = forged.indexOf(name); at !== -1; at = forged.indexOf(name, at + 1)) {
      const central = forged.readUInt32LE(at - 46) === 0x02014b50;
      const local = forged.readUInt32LE(at - 30) === 0x04034b50;
      if (central) forged.writeUInt32LE(1000, at - 46 + 24);
      if (local) forged.writeUInt32LE(1000, at - 30 + 22);
    }
    const userId = 'user-liar';
    const job = await runImport(await uploadExport(ctx, forged, { userId, fileName: 'liar.zip' }));
    expect(job.counts.conversations_created).toBe(1);
    expect(job.counts.assets_stored).toBe(0);
    expect(job.asset_problems).toEqual(['liar.zip: file_1d10.dat expands beyond the 1000 bytes its header declares; refusing a possible zip bomb; the file was not copied']);
    expect(await storedAssetKeys(userId)).toEqual([]);
  });
});
