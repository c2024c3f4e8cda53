import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportConversation, ExportMessage } from './exportShapes';
import { generateExport, type GenerateExportOptions } from './generateExport';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'threadline-generate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
async function generate(options: Omit<GenerateExportOptions, 'out'>) {
  const out = join(dir, `export-${counter++}.zip`);
  const summary = await generateExport({ ...options, out });
  return { out, summary };
}

async function readEntries(zipPath: string): Promise<Map<string, Buffer>> {
  const directory = await unzipper.Open.file(zipPath);
  const entries = new Map<string, Buffer>();
  for (const file of directory.files) entries.set(file.path, await file.buffer());
  return entries;
}

function allMessages(conversations: ExportConversation[]): ExportMessage[] {
  return conversations.flatMap((c) => Object.values(c.mapping).flatMap((node) => (node.message ? [node.message] : [])));
}

describe('generateExport', () => {
  it('is deterministic: same options give the same bytes, another seed different bytes', async () => {
    const a = await generate({ conversations: 25, seed: 42 });
    const b = await generate({ conversations: 25, seed: 42 });
    const c = await generate({ conversations: 25, seed: 43 });
    expect(readFileSync(a.out).equals(readFileSync(b.out))).toBe(true);
    expect(readFileSync(a.out).equals(readFileSync(c.out))).toBe(false);
    expect(a.summary.archiveBytes).toBe(readFileSync(a.out).length);
  });

  it('writes one conversations.json array and the small side files without shards', async () => {
    const { out, summary } = await generate({ conversations: 12, seed: 1 });
    const entries = await readEntries(out);
    expect([...entries.keys()].sort()).toEqual(
      expect.arrayContaining(['chat.html', 'conversations.json', 'message_feedback.json', 'user.json']),
    );
    expect(entries.has('export_manifest.json')).toBe(false);
    expect([...entries.keys()].some((path) => /^file_[0-9a-f]{32}-.+\.png$/.test(path))).toBe(true);
    const conversations = JSON.parse(entries.get('conversations.json')!.toString('utf8'));
    expect(conversations).toHaveLength(12);
    expect(summary).toMatchObject({ conversations: 12, shards: 1, sharded: false, conversationBytes: entries.get('conversations.json')!.length });
    expect(JSON.parse(entries.get('message_feedback.json')!.toString())).toEqual([]);
  });

  it('shards into conversations-NNN.json arrays listed with their sizes in export_manifest.json', async () => {
    const { out, summary } = await generate({ conversations: 10, shards: 3, seed: 5 });
    const entries = await readEntries(out);
    const shardNames = ['conversations-000.json', 'conversations-001.json', 'conversations-002.json'];
    const counts = shardNames.map((name) => JSON.parse(entries.get(name)!.toString('utf8')).length);
    expect(counts).toEqual([4, 3, 3]);
    expect(entries.has('conversations.json')).toBe(false);

    const manifest = JSON.parse(entries.get('export_manifest.json')!.toString('utf8'));
    expect(manifest.version).toBe(1);
    expect(manifest.logical_files['conversations.json']).toEqual({ files: shardNames, shard_count: 3, sharded: true });
    const listed = new Map<string, number>(manifest.export_files.map((f: { path: string; size_bytes: number }) => [f.path, f.size_bytes]));
    for (const [path, content] of entries) {
      if (path !== 'export_manifest.json') expect(listed.get(path)).toBe(content.length);
    }
    expect(summary).toMatchObject({ conversations: 10, shards: 3, sharded: true });
    expect(summary.conversationBytes).toBe(shardNames.reduce((sum, name) => sum + entries.get(name)!.length, 0));

    // Conversations are numbered across shards: the same seed unsharded has the same conversations.
    const unsharded = await readEntries((await generate({ conversations: 10, seed: 5 })).out);
    const ids = shardNames.flatMap((name) => JSON.parse(entries.get(name)!.toString('utf8')).map((c: ExportConversation) => c.id));
    expect(JSON.parse(unsharded.get('conversations.json')!.toString('utf8')).map((c: ExportConversation) => c.id)).toEqual(ids);
  });

  it('covers the format edge cases in a 30-conversation export', async () => {
    const { out } = await generate({ conversations: 30, seed: 11 });
    const conversations: ExportConversation[] = JSON.parse((await readEntries(out)).get('conversations.json')!.toString('utf8'));
    const messages = allMessages(conversations);

    const nonFirstCanonical = conversations.some((c) => {
      for (let id: string | null = c.current_node; id !== null; id = c.mapping[id].parent) {
        const parent = c.mapping[id].parent;
        if (parent !== null && c.mapping[parent].children.indexOf(id) > 0) return true;
      }
      return false;
    });
    expect(nonFirstCanonical).toBe(true);
    expect(conversations.some((c) => c.mapping['client-created-root']?.message === null)).toBe(true);
    expect(messages.some((m) => m.metadata.is_visually_hidden_from_conversation === true && m.author.role !== 'system')).toBe(true);
    expect(messages.some((m) => m.author.role === 'assistant' && m.content.content_type === 'code' && m.recipient === 'python')).toBe(true);
    expect(messages.some((m) => m.author.role === 'tool' && m.content.content_type === 'execution_output')).toBe(true);
    for (const type of ['tether_browsing_display', 'tether_quote', 'thoughts', 'reasoning_recap', 'multimodal_text', 'user_editable_context']) {
      expect(messages.some((m) => m.content.content_type === type), type).toBe(true);
    }
    const parts = messages.flatMap((m) => (m.content.content_type === 'multimodal_text' ? (m.content.parts as Array<Record<string, unknown>>) : []));
    expect(parts.some((p) => p.content_type === 'image_asset_pointer' && String(p.asset_pointer).startsWith('sediment://file_'))).toBe(true);
    expect(parts.some((p) => p.content_type === 'audio_transcription')).toBe(true);
    expect(messages.some((m) => m.author.role === 'user' && Array.isArray(m.metadata.attachments) && m.metadata.attachments.length > 0)).toBe(true);
    expect(messages.some((m) => m.create_time === null && m.author.role !== 'system' && !m.metadata.is_visually_hidden_from_conversation)).toBe(true);
    expect(conversations.some((c) => c.default_model_slug === null)).toBe(true);
    expect(conversations.some((c) => c.is_archived)).toBe(true);
    expect(conversations.some((c) => c.title === null)).toBe(true);
    expect(Math.max(...conversations.map((c) => Object.keys(c.mapping).length))).toBeGreaterThan(200);
    expect(Math.max(...conversations.flatMap((c) => Object.values(c.mapping).map((n) => n.children.length)))).toBeGreaterThanOrEqual(9);

    const text = JSON.stringify(conversations);
    expect(text).toMatch(/\p{Script=Han}/u);
    expect(text).toMatch(/\p{Extended_Pictographic}/u);
    expect(text).toMatch(/\\ue200cite|\ue200cite/);
    expect(text).toContain('```');
    const months = new Set(conversations.map((c) => new Date(c.create_time * 1000).toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThan(10);
  });

  it('grows to reach sizeMb within ±10%, with conversations as a minimum', async () => {
    const progress: number[] = [];
    const { out, summary } = await generate({ conversations: 5, sizeMb: 5, shards: 2, seed: 3, onProgress: (bytes) => progress.push(bytes) });
    expect(summary.conversationBytes).toBeGreaterThanOrEqual(5e6 * 0.9);
    expect(summary.conversationBytes).toBeLessThanOrEqual(5e6 * 1.1);
    expect(summary.conversations).toBeGreaterThan(5);
    expect(progress.at(-1)).toBeGreaterThan(4.5e6);
    const entries = await readEntries(out);
    for (const file of summary.conversationFiles) {
      expect(JSON.parse(entries.get(file.path)!.toString('utf8'))).toHaveLength(file.conversations);
    }
  });
});

describe('generateExport --assets', () => {
  it('writes the 2023–25 layout with real PNG, WAV and PDF bytes, leaving every tenth file out', async () => {
    const { out, summary } = await generate({ conversations: 40, seed: 7, assets: true });
    const entries = await readEntries(out);
    const { openExport } = await import('@threadline/core/chatgptExport/openExport');
    const { fileSource } = await import('@threadline/core/chatgptExport/fileSource');
    const opened = await openExport(fileSource(out));
    expect(summary.assetFiles.referenced).toBeGreaterThan(10);
    // The sidecar sample image is a file no conversation points at.
    expect(opened.assets.files.size).toBe(summary.assetFiles.written + 1);
    expect(summary.assetFiles.written).toBe(summary.assetFiles.referenced - Math.floor(summary.assetFiles.referenced / 10));
    const paths = [...entries.keys()];
    expect(paths.some((path) => /^[0-9a-f-]{36}\/audio\/file_[0-9a-f]{32}-[0-9a-f-]{36}\.wav$/.test(path))).toBe(true);
    expect(paths.some((path) => /^user-[0-9a-f]+\/file_[0-9a-f]{32}-[0-9a-f-]{36}\.png$/.test(path))).toBe(true);
    const wav = entries.get(paths.find((path) => path.endsWith('.wav'))!)!;
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    const png = entries.get(paths.find((path) => path.endsWith('.png') && path.includes('/'))!)!;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const pdf = [...entries].find(([path]) => path.endsWith('.pdf'));
    if (pdf) expect(pdf[1].toString('latin1')).toMatch(/^%PDF-1\.4[\s\S]*startxref\n\d+\n%%EOF\n$/);
  });

  it('writes the 2026 layout when sharded: <file id>.dat, the name map and library_files.json', async () => {
    const { out, summary } = await generate({ conversations: 40, seed: 7, shards: 2, assets: true });
    const entries = await readEntries(out);
    const names = JSON.parse(entries.get('conversation_asset_file_names.json')!.toString()) as Record<string, string>;
    const dats = [...entries.keys()].filter((path) => path.endsWith('.dat'));
    expect(dats).toHaveLength(summary.assetFiles.written);
    expect(Object.keys(names).every((name) => dats.includes(name))).toBe(true);
    expect(Array.isArray(JSON.parse(entries.get('library_files.json')!.toString()))).toBe(true);
    const manifest = JSON.parse(entries.get('export_manifest.json')!.toString()) as { export_files: { path: string }[] };
    expect(dats.every((dat) => manifest.export_files.some((file) => file.path === dat))).toBe(true);
  });
});
