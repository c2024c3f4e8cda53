import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertExport } from '../../src/cli/convertCommand';
import { generateExport } from '@threadline/generator/generateExport';
import { buildTestZip, patchBytes } from '@threadline/testkit/testZip';

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

  it('keeps the conversations before malformed JSON and names the file and byte offset', async () => {
    const input = join(dir, 'conversations.json');
    const good = JSON.stringify(conversation('good', 1, 'fine'));
    const text = `[${good}, {"id": "bad", "title": tru}, ${JSON.stringify(conversation('after', 2, 'never read'))}]`;
    await writeFile(input, text);
    const out = join(dir, 'malformed.jsonl');
    const summary = await convertExport(input, out);
    expect((await jsonl(out)).map((line) => line.conversation_id)).toEqual(['good']);
    expect(summary.conversations).toBe(1);
    expect(summary.readError).toBe(`conversations.json: malformed JSON at byte ${text.indexOf('tru}')} (Unexpected token '}')`);
  });

  it('keeps the conversations of a truncated file', async () => {
    const input = join(dir, 'truncated.json');
    const complete = JSON.stringify([conversation('one', 1, 'first'), conversation('two', 2, 'second'), conversation('three', 3, 'cut off')]);
    const cut = complete.length - 40;
    await writeFile(input, complete.slice(0, cut));
    const out = join(dir, 'truncated.jsonl');
    const summary = await convertExport(input, out);
    expect((await jsonl(out)).map((line) => line.title)).toEqual(['first', 'second']);
    expect(summary.readError).toMatch(new RegExp(`^truncated\\.json: ended at byte ${cut} inside the conversation starting at byte \\d+ \\(the file is truncated\\)$`));
  });

  it('keeps the shards before a truncated shard of a ZIP', async () => {
    const zip = join(dir, 'truncated-shard.zip');
    const second = JSON.stringify([conversation('b1', 1, 'b1'), conversation('b2', 1, 'b2')]);
    await writeFile(zip, await buildTestZip([
      { name: 'conversations-000.json', content: JSON.stringify([conversation('a1', 1, 'a1'), conversation('a2', 1, 'a2')]) },
      { name: 'conversations-001.json', content: second.slice(0, second.length - 30) },
      { name: 'conversations-002.json', content: JSON.stringify([conversation('c1', 1, 'c1')]) },
    ]));
    const out = join(dir, 'truncated-shard.jsonl');
    const summary = await convertExport(zip, out);
    expect((await jsonl(out)).map((line) => line.title)).toEqual(['a1', 'a2', 'b1']);
    expect(summary.readError).toMatch(/^conversations-001\.json: ended at byte \d+ inside the conversation starting at byte \d+/);
  });

  it('fails and writes nothing for a damaged archive, even after conversations were read', async () => {
    const zip = join(dir, 'damaged.zip');
    const content = JSON.stringify([conversation('d1', 1, 'intact'), conversation('d2', 2, 'flipped')]);
    // A stored entry with changed bytes still parses; only its CRC-32, checked at its end, tells.
    await writeFile(zip, patchBytes(await buildTestZip([{ name: 'conversations.json', content, compress: false }]), 'flipped', 'flopped'));
    const out = join(dir, 'damaged.jsonl');
    await expect(convertExport(zip, out)).rejects.toThrow(/damaged\.zip is a damaged ZIP archive: conversations\.json fails its CRC-32 check/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('fails and writes nothing when the file breaks before any conversation', async () => {
    const input = join(dir, 'broken-at-once.json');
    await writeFile(input, '[{"id": "bad", "title": tru}]');
    const out = join(dir, 'broken-at-once.jsonl');
    await expect(convertExport(input, out)).rejects.toThrow(/broken-at-once\.json: malformed JSON at byte 24/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 with one line naming the file, byte offset and count after a break, 1 when nothing was read', async () => {
    const input = join(dir, 'cli-truncated.json');
    const complete = JSON.stringify([conversation('one', 1, 'first'), conversation('two', 2, 'cut off')]);
    await writeFile(input, complete.slice(0, complete.length - 20));
    const out = join(dir, 'cli-truncated.jsonl');
    const partial = await run(process.execPath, [bin, 'convert', input, '--out', out]).catch((error: { code: number; stderr: string }) => error);
    expect(partial).toMatchObject({ code: 2 });
    const problems = (partial as { stderr: string }).stderr.split('\n').filter((line) => line.startsWith('threadline:'));
    expect(problems).toEqual([
      expect.stringMatching(/^threadline: stopped reading: cli-truncated\.json: ended at byte \d+ .*; kept the 1 conversations before it \(written to .*cli-truncated\.jsonl\)$/),
    ]);
    expect((await jsonl(out)).map((line) => line.title)).toEqual(['first']);

    await writeFile(input, '[{"id": "x"');
    const nothing = await run(process.execPath, [bin, 'convert', input, '--out', join(dir, 'nothing.jsonl')]).catch((error: { code: number; stderr: string }) => error);
    expect(nothing).toMatchObject({ code: 1 });
    expect((nothing as { stderr: string }).stderr.trim().split('\n')).toEqual([expect.stringMatching(/^threadline: cli-truncated\.json: ended at byte 11 inside the conversation starting at byte 1/)]);
    await expect(readFile(join(dir, 'nothing.jsonl'))).rejects.toThrow(/ENOENT/);
  });

  it('says clearly that an export holds no conversations, and exits 0', async () => {
    const zip = join(dir, 'empty-export.zip');
    await writeFile(zip, await buildTestZip([{ name: 'conversations.json', content: '[]' }, { name: 'user.json', content: '{}' }]));
    const out = join(dir, 'empty-export.jsonl');
    const result = await run(process.execPath, [bin, 'convert', zip, '--out', out]);
    expect(result.stderr).toMatch(/^no conversations: conversations\.json holds none \(nothing to convert\)\n0 conversations ok/);
    expect(await readFile(out, 'utf8')).toBe('');
  });

  it('reads a ZIP or JSON from stdin (-), a pipe or a process substitution', async () => {
    const zip = join(dir, 'piped.zip');
    await generateExport({ conversations: 12, shards: 2, seed: 5, out: zip });
    const direct = join(dir, 'direct.jsonl');
    await convertExport(zip, direct);
    const expected = await readFile(direct, 'utf8');

    const fromStdin = join(dir, 'stdin.jsonl');
    const summary = await convertExport('-', fromStdin, { stdin: Readable.from([await readFile(zip)]) });
    expect(summary.conversations).toBe(12);
    expect(await readFile(fromStdin, 'utf8')).toBe(expected);

    const viaShell = await run('bash', ['-c', `"${process.execPath}" "${bin}" convert - < "${zip}" && "${process.execPath}" "${bin}" convert <(cat "${zip}")`]);
    expect(viaShell.stdout).toBe(expected + expected);

    const json = join(dir, 'piped.json');
    await writeFile(json, JSON.stringify([conversation('p', 1, 'piped json')]));
    const piped = await run('bash', ['-c', `cat "${json}" | "${process.execPath}" "${bin}" convert -`]);
    expect(JSON.parse(piped.stdout).title).toBe('piped json');
    const brokenPipe = await run('bash', ['-c', `printf 'not an export' | "${process.execPath}" "${bin}" convert -`]).catch((error: { code: number; stderr: string }) => error);
    expect(brokenPipe).toMatchObject({ code: 1, stderr: expect.stringMatching(/^threadline: stdin is neither a ChatGPT export ZIP nor a conversations JSON file/) });
  });

  it('writes the same lines on worker threads as on the calling thread, and keeps what precedes a break', async () => {
    const zip = join(dir, 'workers.zip');
    await generateExport({ conversations: 120, shards: 3, seed: 11, out: zip });
    const inThread = join(dir, 'in-thread.jsonl');
    const onWorkers = join(dir, 'on-workers.jsonl');
    const a = await convertExport(zip, inThread, { workers: 0 });
    const b = await convertExport(zip, onWorkers, { workers: 2 });
    expect(b).toMatchObject({ conversations: a.conversations, messages: a.messages, duplicates: a.duplicates });
    expect((await readFile(onWorkers)).equals(await readFile(inThread))).toBe(true);

    // A break deep in the file, past several batches: everything before it, nothing after.
    const raws = Array.from({ length: 400 }, (_, i) => conversation(`w${i}`, i, `w${i}`.padEnd(3000, '.')));
    const text = JSON.stringify(raws);
    const broken = join(dir, 'workers-broken.json');
    const at = text.indexOf('{"id":"w300"');
    await writeFile(broken, text.slice(0, at) + '{"id": tru}' + text.slice(at));
    const partial = await convertExport(broken, join(dir, 'workers-broken.jsonl'), { workers: 2 });
    expect(partial.conversations).toBe(300);
    expect(partial.readError).toBe(`workers-broken.json: malformed JSON at byte ${at + 7} (Unexpected token '}')`);
    expect((await jsonl(join(dir, 'workers-broken.jsonl'))).map((line) => line.title)).toEqual(raws.slice(0, 300).map((raw) => raw.title));
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
