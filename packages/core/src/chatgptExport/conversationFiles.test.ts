import { describe, expect, it } from 'vitest';
import { compareConversationFileNames, selectConversationFiles } from './conversationFiles';
import { readExportManifest } from './exportManifest';
import { describeLeadingBytes, detectExportFormat } from './exportFormat';
import { isUnsafeEntryName } from './zipEntryName';

describe('selectConversationFiles', () => {
  it('orders shards by number, not text (-2 before -10), after the unsharded file', () => {
    const names = ['conversations-10.json', 'conversations-2.json', 'conversations.json', 'conversations-001.json'];
    expect(selectConversationFiles(names, 'x.zip').files).toEqual([
      'conversations.json',
      'conversations-001.json',
      'conversations-2.json',
      'conversations-10.json',
    ]);
    expect(compareConversationFileNames('conversations-002.json', 'conversations-010.json')).toBeLessThan(0);
  });

  it('prefers the root over a folder, and ignores lookalikes', () => {
    const names = ['copy/conversations.json', 'conversations.json', 'conversations.json.bak', 'old-conversations.json', 'Conversations.json'];
    expect(selectConversationFiles(names, 'x.zip')).toEqual({ folder: '', files: ['conversations.json'] });
  });
});

describe('readExportManifest', () => {
  it('reads the real 2026 shape: shards from logical_files, sizes from export_files, logical names are not files', () => {
    const manifest = {
      version: 1,
      manifest_file: 'export_manifest.json',
      export_files: [
        { path: 'conversations-000.json', size_bytes: 1164533 },
        { path: 'conversations-001.json', size_bytes: 900 },
        { path: 'file-2HiqAbc.dat', size_bytes: 787391 },
        { path: 'chat.html', size_bytes: 12 },
      ],
      logical_files: {
        'conversations.json': { files: ['conversations-000.json', 'conversations-001.json', 'conversations-002.json'], shard_count: 3, sharded: true },
        'chat.html': { files: ['chat.html'], sharded: false },
      },
    };
    const facts = readExportManifest(manifest);
    expect(facts.conversationFiles).toEqual(['conversations-000.json', 'conversations-001.json', 'conversations-002.json']);
    expect(Object.fromEntries(facts.listedSizes)).toEqual({
      'conversations-000.json': 1164533,
      'conversations-001.json': 900,
      'file-2HiqAbc.dat': 787391,
      'chat.html': 12,
    });
  });

  it('takes an unsharded 2026 export at its word: conversations.json is then a real file', () => {
    const manifest = {
      export_files: [{ path: 'conversations.json', size_bytes: 10 }],
      logical_files: { 'conversations.json': { files: ['conversations.json'], sharded: false } },
    };
    expect(readExportManifest(manifest).conversationFiles).toEqual(['conversations.json']);
  });

  it('ignores sizes that are not whole non-negative numbers', () => {
    const manifest = { export_files: [{ path: 'conversations-000.json', size_bytes: '10' }, { path: 'conversations-001.json', size_bytes: -1 }] };
    const facts = readExportManifest(manifest);
    expect(facts.conversationFiles).toEqual(['conversations-000.json', 'conversations-001.json']);
    expect(facts.listedSizes.size).toBe(0);
  });

  it('finds shard names anywhere in an unknown shape: values, keys, nested paths, but not group names', () => {
    const manifest = {
      a: ['export/conversations-002.json', { path: 'conversations-000.json' }],
      'conversations-001.json': { size: 3 },
      groups: { 'conversations.json': { files: ['conversations-004.json'] } },
      other: 'user.json',
      n: 5,
      windows: 'x\\conversations-003.json',
    };
    expect(readExportManifest(manifest).conversationFiles).toEqual([
      'conversations-000.json',
      'conversations-001.json',
      'conversations-002.json',
      'conversations-003.json',
      'conversations-004.json',
    ]);
    expect(readExportManifest(null)).toEqual({ conversationFiles: [], listedSizes: new Map() });
  });
});

describe('isUnsafeEntryName', () => {
  it('flags traversal and absolute names only', () => {
    for (const name of ['../x', 'a/../x', 'a\\..\\x', '/etc/x', '\\x', 'C:x', 'C:/x', 'a\0b']) expect(isUnsafeEntryName(name)).toBe(true);
    for (const name of ['conversations.json', 'a/b/c.png', '..hidden', 'a/..b/c', 'file-1:2.png']) expect(isUnsafeEntryName(name)).toBe(false);
  });
});

describe('detectExportFormat', () => {
  it('recognises ZIP magic and JSON openings', () => {
    expect(detectExportFormat(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(detectExportFormat(Buffer.from('PK\x05\x06', 'latin1'))).toBe('zip');
    expect(detectExportFormat(Buffer.from('\ufeff \n [{}]'))).toBe('json');
    expect(detectExportFormat(Buffer.from('{"conversations":[]}'))).toBe('json');
    expect(detectExportFormat(Buffer.from('PK\x07\x08', 'latin1'))).toBe('unknown');
    expect(detectExportFormat(Buffer.alloc(0))).toBe('unknown');
  });

  it('describes leading bytes readably', () => {
    expect(describeLeadingBytes(Buffer.alloc(0))).toBe('the file is empty');
    expect(describeLeadingBytes(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('it starts with bytes 1f8b0800');
  });
});
