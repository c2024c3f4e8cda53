import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { bufferSource } from '@threadline/testkit/bufferSource';
import { assetEntryName } from './exportAssetNames';
import { assetMimeType } from './assetMimeType';
import { openExport } from './openExport';
import { buildTestZip } from '@threadline/testkit/testZip';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const conversations = JSON.stringify([{ id: 'c1', conversation_id: 'c1', title: 't', mapping: {} }]);

describe('asset entry names', () => {
  it('finds the file id in every layout real exports use', () => {
    expect(assetEntryName('file-AbC123-photo of me.jpg')).toEqual({ fileId: 'file-AbC123', originalName: 'photo of me.jpg', isDat: false });
    expect(assetEntryName('file_0a1b-6c1e2f3a-uuid.png')).toEqual({ fileId: 'file_0a1b', originalName: '6c1e2f3a-uuid.png', isDat: false });
    expect(assetEntryName('file-2Hiq.dat')).toEqual({ fileId: 'file-2Hiq', originalName: null, isDat: true });
    expect(assetEntryName('conversations.json')).toBeNull();
    expect(assetEntryName('user.json')).toBeNull();
  });
});

describe('the asset inventory of an export', () => {
  it('lists 2023–25 files in all their folders, with where each sits in the archive', async () => {
    const zip = await buildTestZip([
      { name: 'conversations.json', content: conversations },
      { name: 'file-AAA111-holiday.png', content: PNG, compress: false },
      { name: 'dalle-generations/file-BBB222-1f0e.webp', content: 'webp' },
      { name: 'user-u1/file_cc33-7a7a.png', content: PNG },
      { name: 'c1/audio/file_dd44-9b9b.wav', content: 'RIFF' },
      { name: 'c1/image/file_ee55-0c0c.png', content: PNG },
      { name: 'chat.html', content: '<html>' },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect([...opened.assets.files.keys()].sort()).toEqual(['file-AAA111', 'file-BBB222', 'file_cc33', 'file_dd44', 'file_ee55']);
    const holiday = opened.assets.files.get('file-AAA111')!;
    expect(holiday.name).toBe('holiday.png');
    expect(holiday.entry.uncompressedSize).toBe(PNG.length);
    expect(zip.readUInt32LE(holiday.entry.localHeaderOffset)).toBe(0x04034b50);
    expect(opened.assets.problems).toEqual([]);
  });

  it('names 2026 .dat files from conversation_asset_file_names.json and reports what it cannot use', async () => {
    const zip = await buildTestZip([
      { name: 'conversations-000.json', content: conversations },
      { name: 'file-AAA111.dat', content: PNG },
      { name: 'file_bb22.dat', content: 'no magic number here' },
      { name: 'x/file_bb22-dup.png', content: PNG },
      { name: 'conversation_asset_file_names.json', content: JSON.stringify({ 'file-AAA111.dat': 'cat.png', 'file-GONE.dat': 'lost.pdf' }) },
    ]);
    const opened = await openExport(bufferSource('export.zip', zip));
    expect(opened.assets.files.get('file-AAA111')!.name).toBe('cat.png');
    expect(opened.assets.files.get('file_bb22')!.entry.name).toBe('file_bb22.dat');
    expect(opened.assets.problems).toEqual([
      'export.zip: two files claim file id file_bb22 (file_bb22.dat and x/file_bb22-dup.png); kept the first, skipped x/file_bb22-dup.png',
      'export.zip: conversation_asset_file_names.json names 1 file(s) the export lacks (file-GONE.dat)',
    ]);
  });

  it('does not copy a file whose declared size or compression ratio is past the limits', async () => {
    const zip = await buildTestZip([
      { name: 'conversations.json', content: conversations },
      { name: 'file-BOMB.dat', content: Buffer.alloc(4 * 1024 * 1024) },
      { name: 'file-BIG.dat', content: PNG },
    ]);
    expect(deflateRawSync(Buffer.alloc(4 * 1024 * 1024)).length).toBeLessThan(10_000);
    const opened = await openExport(bufferSource('export.zip', zip), { maxAssetBytes: 5 * 1024 * 1024 });
    expect([...opened.assets.files.keys()]).toEqual(['file-BIG']);
    expect(opened.assets.problems[0]).toMatch(/^export\.zip: file-BOMB\.dat would expand \d+:1 \(limit 200:1\); refusing a possible zip bomb, not copied$/);
    const small = await openExport(bufferSource('export.zip', zip), { maxAssetBytes: 10 });
    expect(small.assets.problems).toContain(`export.zip: file-BIG.dat would expand to ${PNG.length} bytes (limit 10); not copied`);
  });
});

describe('the type of a file', () => {
  it('comes from the bytes, then the original name, else octet-stream', async () => {
    expect(await assetMimeType(PNG, 'file-A.dat')).toEqual({ mimeType: 'image/png', source: 'bytes' });
    expect(await assetMimeType(Buffer.from('%PDF-1.4\n'), 'x.dat')).toEqual({ mimeType: 'application/pdf', source: 'bytes' });
    expect(await assetMimeType(Buffer.from('a,b\n1,2\n'), 'sales.csv')).toEqual({ mimeType: 'text/csv', source: 'name' });
    expect(await assetMimeType(Buffer.from('a,b\n1,2\n'), 'file-A.dat')).toEqual({ mimeType: 'application/octet-stream', source: 'unknown' });
  });
});
