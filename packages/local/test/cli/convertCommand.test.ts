import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertExport } from '../../src/cli/convertCommand';
import { generateExport } from '../../src/generate/generateExport';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/threadline.mjs');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'threadline-convert-'));
});

async function jsonl(path: string) {
  return (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
}

/** A one-message conversation; `marker` shows which copy survived. */
function conversation(id: string, updateTime: number | null, marker: string, extraNodes = 0) {
  const mapping: Record<string, unknown> = {
    root: { id: 'root', message: null, parent: null, children: ['m1'] },
    m1: { id: 'm1', parent: 'root', children: [], message: { id: 'm1', author: { role: 'user' }, create_time: 1_700_000_000, content: { content_type: 'text', parts: [marker] } } },
  };
  for (let i = 0; i < extraNodes; i += 1) mapping[`x${i}`] = { id: `x${i}`, parent: 'root', message: null };
  return { id, title: marker, create_time: 1_700_000_000, update_time: updateTime, current_node: 'm1', mapping };
}

describe('threadline convert', () => {
  it('writes one normalized conversation per line for a sharded generated export', async () => {
    const zip = join(dir, 'sharded.zip');
    const generated = await generateExport({ conversations: 30, shards: 3, seed: 7, out: zip });
    const out = join(dir, 'sharded.jsonl');
    const summary = await convertExport(zip, out);
    const lines = await jsonl(out);
    expect(lines).toHaveLength(generated.conversations);
    expect(summary).toMatchObject({ conversations: 30, failed: [], duplicates: 0, missingShards: [], truncatedFiles: [] });
    expect(summary.messages).toBe(lines.reduce((sum, line) => sum + line.message_count, 0));
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['conversation_id', 'title', 'create_time', 'update_time', 'date', 'time', 'model', 'is_archived', 'message_count', 'messages', 'transcript', 'raw_text', 'content_hash', 'warnings']));
      expect(line.messages).toHaveLength(line.message_count);
    }
    expect(new Set(lines.map((l) => l.conversation_id)).size).toBe(30);
  });

  it('keeps the newer copy of a duplicated id, even when the older one was already written', async () => {
    const input = join(dir, 'duplicates.json');
    await writeFile(input, JSON.stringify([
      conversation('a', 100, 'a-old'),
      conversation('b', 100, 'b-only'),
      conversation('a', 200, 'a-new'),
      conversation('c', 300, 'c-first', 3),
      conversation('c', 300, 'c-smaller-mapping-loses'),
    ]));
    const out = join(dir, 'duplicates.jsonl');
    const summary = await convertExport(input, out);
    const titles = (await jsonl(out)).map((line) => line.title);
    expect(titles).toEqual(['b-only', 'a-new', 'c-first']);
    expect(summary.duplicates).toBe(2);
    expect(summary.conversations).toBe(3);
    expect(summary.messages).toBe(3);
  });

  it('reports a broken conversation and converts the others', async () => {
    const input = join(dir, 'one-broken.json');
    await writeFile(input, JSON.stringify([conversation('ok-1', 1, 'one'), { title: 'no id at all', mapping: {} }, 42, conversation('ok-2', 2, 'two')]));
    const out = join(dir, 'one-broken.jsonl');
    const summary = await convertExport(input, out);
    expect((await jsonl(out)).map((l) => l.conversation_id)).toEqual(['ok-1', 'ok-2']);
    expect(summary.failed.map((f) => [f.index, f.reason])).toEqual([[1, 'missing id'], [2, expect.stringMatching(/not an object|object/i)]]);
  });

  it('exits 0 with a summary on stderr and JSONL on stdout, and 1 with one line for an unreadable export', async () => {
    const input = join(dir, 'cli.json');
    await writeFile(input, '\uFEFF' + JSON.stringify({ conversations: [conversation('x', 1, 'wrapped with BOM')] }));
    const ok = await run(process.execPath, [bin, 'convert', input]);
    expect(JSON.parse(ok.stdout.trim()).title).toBe('wrapped with BOM');
    expect(ok.stderr).toMatch(/1 conversations ok, 0 failed, 0 duplicates, 1 messages/);

    const notZip = join(dir, 'fake.zip');
    await writeFile(notZip, 'this is not a zip');
    const failure = await run(process.execPath, [bin, 'convert', notZip]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toEqual([expect.stringMatching(/^threadline: fake\.zip is not a ZIP archive/)]);

    const missing = await run(process.execPath, [bin, 'convert', join(dir, 'nope.zip')]).catch((error: { code: number; stderr: string }) => error);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/nope\.zip: no such file/) });
  });

  it('names the file and byte offset of malformed JSON and writes no partial output', async () => {
    const input = join(dir, 'conversations.json');
    const good = JSON.stringify(conversation('good', 1, 'fine'));
    await writeFile(input, `[${good}, {"id": "bad", "title": tru}]`);
    const out = join(dir, 'malformed.jsonl');
    await expect(convertExport(input, out)).rejects.toThrow(/conversations\.json.*byte \d+/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('threadline generate', () => {
  it('is deterministic through the CLI', async () => {
    const first = join(dir, 'first.zip');
    const second = join(dir, 'second.zip');
    await run(process.execPath, [bin, 'generate', '--conversations', '20', '--seed', '3', '--out', first]);
    await run(process.execPath, [bin, 'generate', '--conversations', '20', '--seed', '3', '--out', second]);
    expect((await readFile(first)).equals(await readFile(second))).toBe(true);
  });
});
