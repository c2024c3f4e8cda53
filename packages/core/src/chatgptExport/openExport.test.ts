import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource } from '@threadline/testkit/bufferSource';
import { ExportReadError } from './exportReadError';
import { fileSource } from './fileSource';
import { type OpenedExport, type RawConversationEntry, openExport } from './openExport';
import { buildTestZip, centralDirectoryRecords, patchBytes } from '@threadline/testkit/testZip';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A minimal conversation: enough to recognise it in the output. */
function conversation(id: string) {
  return { id, title: `Chat ${id}`, mapping: {}, current_node: null };
}

function shard(...ids: string[]): string {
  return JSON.stringify(ids.map(conversation));
}

async function collect(opened: OpenedExport): Promise<RawConversationEntry[]> {
  const entries: RawConversationEntry[] = [];
  for await (const entry of opened.conversations()) entries.push(entry);
  return entries;
}

async function ids(opened: OpenedExport): Promise<string[]> {
  return (await collect(opened)).map((entry) => (entry.raw as { id: string }).id);
}

/** Runs `action`, expecting an ExportReadError; returns it. */
async function failure(action: () => Promise<unknown>): Promise<ExportReadError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ExportReadError) return error;
    throw error;
  }
  throw new Error('expected an ExportReadError');
}

describe('openExport on a ZIP', () => {
  it('reads sharded conversation files in numeric order and ignores everything else', async () => {
    const zip = await buildTestZip([
      { name: 'chat.html', content: '<html>never read</html>' },
      { name: 'conversations-002.json', content: shard('c', 'd') },
      { name: 'user.json', content: '{"id":"user-1"}' },
      { name: 'conversations-010.json', content: shard('e') },
      { name: 'conversations-001.json', content: shard('a', 'b') },
      { name: 'file-abc-photo.png', content: Buffer.alloc(100, 7) },
      { name: '0c6e…/image/x.png', content: Buffer.alloc(10, 1) },
      { name: 'deep/er/conversations-005.json', content: shard('nested, not an export file') },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.kind).toBe('zip');
    expect(opened.files.map((file) => file.name)).toEqual([
      'conversations-001.json',
      'conversations-002.json',
      'conversations-010.json',
    ]);
    expect(opened.missingShards).toEqual([]);
    expect(opened.totalBytes).toBe(shard('a', 'b').length + shard('c', 'd').length + shard('e').length);
    const entries = await collect(opened);
    expect(entries.map((entry) => [entry.index, entry.file, (entry.raw as { id: string }).id])).toEqual([
      [0, 'conversations-001.json', 'a'],
      [1, 'conversations-001.json', 'b'],
      [2, 'conversations-002.json', 'c'],
      [3, 'conversations-002.json', 'd'],
      [4, 'conversations-010.json', 'e'],
    ]);
    const first = JSON.stringify(conversation('a'));
    expect(entries[0]).toMatchObject({ offset: 1 });
    expect(entries[0]!.json.toString()).toBe(first);
    expect(entries[1]).toMatchObject({ offset: 1 + first.length + 1 });
  });

  it('reads conversations.json before shards, stored or deflated', async () => {
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: shard('s0'), compress: false },
      { name: 'conversations.json', content: shard('plain') },
    ]);
    expect(await ids(await openExport(bufferSource('export.zip', zip)))).toEqual(['plain', 's0']);
  });

  it('finds the files inside one top-level folder (a re-zipped export)', async () => {
    const zip = await buildTestZip([
      { name: 'My Export/conversations-001.json', content: shard('b') },
      { name: 'My Export/conversations-000.json', content: shard('a') },
      { name: 'My Export/chat.html', content: '<html/>' },
      { name: '__MACOSX/My Export/conversations-000.json', content: 'resource fork junk' },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.files.map((file) => file.name)).toEqual(['My Export/conversations-000.json', 'My Export/conversations-001.json']);
    expect(await ids(opened)).toEqual(['a', 'b']);
  });

  it('refuses conversation files spread over several folders', async () => {
    const zip = await buildTestZip([
      { name: 'one/conversations.json', content: shard('a') },
      { name: 'two/conversations.json', content: shard('b') },
    ]);
    const error = await failure(() => openExport(bufferSource('export.zip', zip)));
    expect(error.code).toBe('ambiguous-export');
    expect(error.message).toBe(
      'export.zip holds conversation files in several folders (one/, two/): upload one export at a time',
    );
  });

  it('lists the shards export_manifest.json names but the archive lacks', async () => {
    const manifest = {
      version: 1,
      files: [
        { path: 'conversations-000.json', size: 10 },
        { path: 'conversations-001.json', size: 10 },
        { path: 'conversations-002.json', size: 10 },
        { path: 'conversations-003.json', size: 10 },
        { path: 'user.json', size: 5 },
        { path: '0c6e/image/conversations-999.json.png', size: 5 },
      ],
      shards: { 'conversations-004.json': { bytes: 1 } },
    };
    const zip = await buildTestZip([
      { name: 'export_manifest.json', content: JSON.stringify(manifest) },
      { name: 'conversations-000.json', content: shard('a') },
      { name: 'conversations-001.json', content: shard('b') },
      { name: 'conversations-003.json', content: shard('d') },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.missingShards).toEqual(['conversations-002.json', 'conversations-004.json']);
    expect(await ids(opened)).toEqual(['a', 'b', 'd']);
  });

  it('takes a complete 2026 export as complete: logical names in the manifest are not missing files', async () => {
    const shards = [shard('a'), shard('b')];
    const manifest = {
      version: 1,
      manifest_file: 'export_manifest.json',
      export_files: [
        { path: 'conversations-000.json', size_bytes: Buffer.byteLength(shards[0]!) },
        { path: 'conversations-001.json', size_bytes: Buffer.byteLength(shards[1]!) },
        { path: 'chat.html', size_bytes: 4 },
      ],
      logical_files: {
        'conversations.json': { files: ['conversations-000.json', 'conversations-001.json'], shard_count: 2, sharded: true },
        'chat.html': { files: ['chat.html'], sharded: false },
      },
    };
    const zip = await buildTestZip([
      { name: 'export_manifest.json', content: JSON.stringify(manifest) },
      { name: 'conversations-000.json', content: shards[0]! },
      { name: 'conversations-001.json', content: shards[1]! },
      { name: 'chat.html', content: '<p/>' },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.missingShards).toEqual([]);
    expect(opened.truncatedFiles).toEqual([]);
    expect(await ids(opened)).toEqual(['a', 'b']);
  });

  it('names a shard shorter than the manifest lists it as truncated', async () => {
    const whole = shard('a', 'b', 'c');
    const cut = whole.slice(0, whole.indexOf('"b"') + 10);
    const manifest = {
      export_files: [
        { path: 'conversations-000.json', size_bytes: Buffer.byteLength(whole) },
        { path: 'conversations-001.json', size_bytes: 1 }, // larger than listed: all its data is there
      ],
      logical_files: { 'conversations.json': { files: ['conversations-000.json', 'conversations-001.json'], sharded: true } },
    };
    const zip = await buildTestZip([
      { name: 'export_manifest.json', content: JSON.stringify(manifest) },
      { name: 'conversations-000.json', content: cut },
      { name: 'conversations-001.json', content: shard('d') },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.missingShards).toEqual([]);
    expect(opened.truncatedFiles).toEqual([{ name: 'conversations-000.json', bytes: Buffer.byteLength(cut), listedBytes: Buffer.byteLength(whole) }]);
  });

  it('ignores a manifest that is not JSON', async () => {
    const zip = await buildTestZip([
      { name: 'export_manifest.json', content: 'not json' },
      { name: 'conversations-000.json', content: shard('a') },
    ]);
    expect((await openExport(bufferSource('export.zip', zip))).missingShards).toEqual([]);
  });

  it('accepts a BOM and the wrapping-object form inside a ZIP', async () => {
    const wrapped = Buffer.concat([BOM, Buffer.from(JSON.stringify({ exported: 'x', conversations: [conversation('w')] }))]);
    const zip = await buildTestZip([{ name: 'conversations.json', content: wrapped }]);
    const [entry] = await collect(await openExport(bufferSource('export.zip', zip)));
    expect(entry).toMatchObject({ index: 0, raw: conversation('w') });
    expect(wrapped.subarray(entry.offset, entry.offset + entry.json.length).toString()).toBe(JSON.stringify(conversation('w')));
  });

  it('names the files it saw when there is no conversation file', async () => {
    const zip = await buildTestZip([
      { name: 'chat.html', content: '<html/>' },
      { name: 'user.json', content: '{}' },
    ]);
    const error = await failure(() => openExport(bufferSource('export.zip', zip)));
    expect(error.code).toBe('no-conversations');
    expect(error.message).toBe('export.zip has no conversations.json or conversations-NNN.json (found: chat.html, user.json)');
  });

  it('treats an empty archive as having no conversations', async () => {
    const empty = await buildTestZip([]);
    expect(empty.subarray(0, 4)).toEqual(Buffer.from('PK\x05\x06', 'latin1'));
    expect((await failure(() => openExport(bufferSource('export.zip', empty)))).message).toMatch(/\(found: nothing\)$/);
  });

  it('reports malformed JSON in a shard with the shard name and byte, after the good conversations', async () => {
    const broken = '[{"id":"a"},{"id":"b",}]';
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: shard('first') },
      { name: 'conversations-001.json', content: broken },
    ]);
    const seen: string[] = [];
    const error = await failure(async () => {
      for await (const entry of (await openExport(bufferSource('export.zip', zip))).conversations()) {
        seen.push((entry.raw as { id: string }).id);
      }
    });
    expect(seen).toEqual(['first', 'a']);
    expect(error.code).toBe('malformed-json');
    expect(error.message).toMatch(new RegExp(`^conversations-001\\.json: malformed JSON at byte ${broken.indexOf(',}') + 1} \\(`));
  });

  it('hands out the same elements unparsed, bytes exactly as in the file', async () => {
    const first = shard('a', 'b');
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: first },
      { name: 'conversations-001.json', content: '[ {"id":"c"} ,{"id":"d",}]' },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    const elements: { index: number; file: string; offset: number; text: string }[] = [];
    for await (const element of opened.conversationElements()) {
      elements.push({ index: element.index, file: element.file, offset: element.offset, text: element.bytes.toString() });
    }
    // Only the array's structure is checked here: `{"id":"d",}` is JSON.parse's to refuse.
    expect(elements).toEqual([
      { index: 0, file: 'conversations-000.json', offset: 1, text: JSON.stringify(conversation('a')) },
      { index: 1, file: 'conversations-000.json', offset: first.indexOf('{"id":"b"'), text: JSON.stringify(conversation('b')) },
      { index: 2, file: 'conversations-001.json', offset: 2, text: '{"id":"c"}' },
      { index: 3, file: 'conversations-001.json', offset: 14, text: '{"id":"d",}' },
    ]);
  });

  it('can stop early without reading the rest', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: shard('a', 'b', 'c') }]);
    const opened = await openExport(bufferSource('export.zip', zip));
    for await (const entry of opened.conversations()) {
      expect(entry.index).toBe(0);
      break;
    }
    expect(await ids(opened)).toEqual(['a', 'b', 'c']); // and it can be read again
  });

  it('reports progress at most about once per MiB, ending at the total', async () => {
    let seed = 1;
    const noise = () => ((seed = (seed * 48271) % 2147483647), seed.toString(36)); // incompressible-ish text
    const big = JSON.stringify(
      Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, text: Array.from({ length: 1500 }, noise).join(' ') })),
    );
    const zip = await buildTestZip([{ name: 'conversations.json', content: big }]);
    const calls: [number, number][] = [];
    const opened = await openExport(bufferSource('export.zip', zip), { onProgress: (read, total) => calls.push([read, total]) });
    expect((await collect(opened)).length).toBe(300);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(big.length / 1024 / 1024) + 1);
    expect(calls.at(-1)).toEqual([big.length, big.length]);
    expect(calls.every(([, total]) => total === big.length)).toBe(true);
  });
});

describe('openExport defences', () => {
  it('refuses a file named .zip that is not a ZIP', async () => {
    const error = await failure(() => openExport(bufferSource('uploads/export.zip', Buffer.from('<!DOCTYPE html><html>'))));
    expect(error.code).toBe('not-a-zip');
    expect(error.message).toBe('export.zip is not a ZIP archive (it starts with "<!DOCTYPE ht")');
  });

  it('refuses a truncated ZIP', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: shard('a', 'b') }]);
    const error = await failure(() => openExport(bufferSource('export.zip', zip.subarray(0, zip.length - 30))));
    expect(error.code).toBe('corrupt-zip');
    expect(error.message).toMatch(/^export\.zip is a damaged ZIP archive: its central directory cannot be read: .*is it truncated\?$/);
  });

  it('refuses a deflated entry whose data is damaged', async () => {
    const content = JSON.stringify(Array.from({ length: 50 }, (_, i) => conversation(`id-${i}-${'z'.repeat(i)}`)));
    const zip = await buildTestZip([{ name: 'conversations.json', content }]);
    const damaged = Buffer.from(zip);
    const dataStart = 30 + 'conversations.json'.length;
    for (let i = dataStart + 20; i < dataStart + 60; i++) damaged[i] ^= 0x5a;
    const opened = await openExport(bufferSource('export.zip', damaged));
    const error = await failure(() => collect(opened));
    expect(error.code).toBe('corrupt-zip');
    expect(error.message).toMatch(/^export\.zip is a damaged ZIP archive: conversations\.json (is damaged|fails its CRC-32 check)/);
  });

  it('refuses a stored entry whose bytes changed (CRC-32), even when the JSON still parses', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: shard('aaaa'), compress: false }]);
    const opened = await openExport(bufferSource('export.zip', patchBytes(zip, '"aaaa"', '"bbbb"')));
    const error = await failure(() => collect(opened));
    expect(error.message).toBe('export.zip is a damaged ZIP archive: conversations.json fails its CRC-32 check');
  });

  it('refuses an entry whose local header is not where the central directory says', async () => {
    const zip = await buildTestZip([
      { name: 'user.json', content: '{}' },
      { name: 'conversations.json', content: shard('a') },
    ]);
    const secondHeader = zip.indexOf('PK\x03\x04', 4, 'latin1');
    const damaged = Buffer.from(zip);
    damaged.write('XX', secondHeader, 'latin1');
    const opened = await openExport(bufferSource('export.zip', damaged));
    expect((await failure(() => collect(opened))).message).toBe(
      'export.zip is a damaged ZIP archive: the header of conversations.json is missing or damaged',
    );
  });

  it.each([
    ['a `..` segment', 'xx/evil.txt', '../evil.txt'],
    ['a backslash `..` segment', 'ab/xx/evil', 'ab\\..\\evil'],
    ['an absolute path', 'x/etc/evil', '/etc/evil'.padEnd(10, '_')],
    ['a drive letter', 'xx/evil.txt', 'C:/evil.txt'],
  ])('skips and reports a file with %s in its name, and still reads the conversations', async (_, safe, unsafe) => {
    const zip = await buildTestZip([
      { name: 'conversations.json', content: shard('a') },
      { name: safe, content: 'x' },
    ]);
    const opened = await openExport(bufferSource('export.zip', patchBytes(zip, safe, unsafe.slice(0, safe.length))));
    expect(await ids(opened)).toEqual(['a']);
    expect(opened.assets.problems).toHaveLength(1);
    expect(opened.assets.problems[0]).toMatch(/^export\.zip: skipped ".*", an unsafe file name \(a real ChatGPT export never has one\)$/);
  });

  it('refuses an archive whose conversations file has an unsafe name', async () => {
    const zip = await buildTestZip([
      { name: 'conversations.json', content: shard('a') },
      { name: 'xx/conversations.json', content: shard('b') },
    ]);
    const error = await failure(() => openExport(bufferSource('export.zip', patchBytes(zip, 'xx/conversations.json', '../conversations.json'))));
    expect(error.code).toBe('unsafe-entry-name');
    expect(error.message).toMatch(/^export\.zip contains an unsafe file name \(".*"\); a real ChatGPT export never does$/);
  });

  it('refuses an entry whose declared compression ratio is too high, unless the limit allows it', async () => {
    const bomb = `[${' '.repeat(4 * 1024 * 1024)}]`; // deflates about 1000:1
    const zip = await buildTestZip([{ name: 'conversations.json', content: bomb }]);
    const error = await failure(() => openExport(bufferSource('export.zip', zip)));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toMatch(/^export\.zip: conversations\.json would expand \d+:1 \(limit 200:1\); refusing a possible zip bomb$/);
    const allowed = await openExport(bufferSource('export.zip', zip), { maxCompressionRatio: 100_000 });
    expect(await collect(allowed)).toEqual([]);
  });

  it('does not apply the ratio limit to small entries', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: `[${' '.repeat(100_000)}]` }]);
    expect(await collect(await openExport(bufferSource('export.zip', zip)))).toEqual([]);
  });

  it('refuses conversations whose declared total exceeds maxUncompressedBytes', async () => {
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: shard('a', 'b', 'c') },
      { name: 'conversations-001.json', content: shard('d', 'e', 'f') },
    ]);
    const error = await failure(() => openExport(bufferSource('export.zip', zip), { maxUncompressedBytes: 200 }));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toMatch(/^export\.zip: conversations would expand to \d+ bytes \(limit 200\); refusing a possible zip bomb$/);
  });

  it('stops inflating an entry that produces more than its header declares (a lying header)', async () => {
    const content = `[${JSON.stringify(conversation('a'))},${' '.repeat(3 * 1024 * 1024)}]`;
    const zip = await buildTestZip([{ name: 'conversations.json', content }]);
    const [record] = centralDirectoryRecords(zip);
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(1000, record + 24); // uncompressed size: 1000 bytes, a plausible ratio
    const opened = await openExport(bufferSource('export.zip', lying));
    expect(opened.totalBytes).toBe(1000);
    const seen: unknown[] = [];
    const error = await failure(async () => {
      for await (const entry of opened.conversations()) seen.push(entry.raw);
    });
    expect(seen).toEqual([conversation('a')]); // the first bytes were within the declared size
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toBe(
      'export.zip: conversations.json expands beyond the 1000 bytes its header declares; refusing a possible zip bomb',
    );
  });

  it('refuses an entry that produces fewer bytes than declared', async () => {
    const zip = await buildTestZip([{ name: 'conversations.json', content: shard('a') }]);
    const [record] = centralDirectoryRecords(zip);
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(shard('a').length + 50, record + 24);
    const error = await failure(async () => collect(await openExport(bufferSource('export.zip', lying))));
    expect(error.message).toMatch(/conversations\.json ends after \d+ of its \d+ bytes$/);
  });
});

describe('openExport on bare JSON', () => {
  it('reads a top-level array, with or without a BOM, in small chunks', async () => {
    for (const prefix of [Buffer.alloc(0), BOM]) {
      const bytes = Buffer.concat([prefix, Buffer.from(shard('a', 'b'))]);
      const opened = await openExport(bufferSource('/tmp/conversations.json', bytes, 5));
      expect(opened).toMatchObject({
        kind: 'json',
        files: [{ name: 'conversations.json', compressedSize: bytes.length, uncompressedSize: bytes.length }],
        missingShards: [],
        truncatedFiles: [],
        totalBytes: bytes.length,
      });
      const entries = await collect(opened);
      expect(entries.map((entry) => [entry.index, entry.file, entry.offset])).toEqual([
        [0, 'conversations.json', prefix.length + 1],
        [1, 'conversations.json', prefix.length + 2 + JSON.stringify(conversation('a')).length],
      ]);
    }
  });

  it('reads the wrapping-object form', async () => {
    const bytes = Buffer.from(JSON.stringify({ conversations: [conversation('x')] }));
    expect(await ids(await openExport(bufferSource('upload.json', bytes)))).toEqual(['x']);
  });

  it('refuses something that is neither a ZIP nor JSON', async () => {
    const error = await failure(() => openExport(bufferSource('notes.txt', Buffer.from('hello'))));
    expect(error.code).toBe('unknown-format');
    expect(error.message).toBe('notes.txt is neither a ChatGPT export ZIP nor a conversations JSON file (it starts with "hello")');
  });
});

describe('fileSource', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('serves inclusive byte ranges of a file and opens an export from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'threadline-export-'));
    dirs.push(dir);
    const path = join(dir, 'export.zip');
    await writeFile(path, await buildTestZip([{ name: 'conversations-000.json', content: shard('disk') }]));
    const source = fileSource(path);
    const range: Buffer[] = [];
    for await (const chunk of source.stream(0, 3)) range.push(chunk as Buffer);
    expect(Buffer.concat(range).toString('latin1')).toBe('PK\x03\x04');
    const empty: Buffer[] = [];
    for await (const chunk of source.stream(10, 5)) empty.push(chunk as Buffer);
    expect(empty).toEqual([]);
    expect(await ids(await openExport(source))).toEqual(['disk']);
  });
});
