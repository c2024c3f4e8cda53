// Search through the whole local system: exports imported by `threadline import` (presigned
// upload, S3 event, the state machine, Distributed Map), searched by `threadline search` as a
// subprocess. An edit moves words to an abandoned branch, mirror mode deletes a conversation,
// and `threadline reindex` rebuilds the index from the archive.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThreadline } from './support/threadlineCli';

// Each CLI run connects to the system, and imports write to DynamoDB Local on disk: minutes, not seconds.
const slow = { timeout: 240_000 };
import { startLocalSystem, type LocalSystem } from '@threadline/local/app/localSystem';
import { generateExport } from '@threadline/generator/generateExport';
import { conversationsOf, middleVisibleNode, readExportZip, switchBranch, writeExportZip, type ExportConversation, type ExportFiles } from './support/exportFiles';

let home: string;
let system: LocalSystem;
let files: ExportFiles;
let conversations: ExportConversation[];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'threadline-search-'));
  const generated = join(home, 'generated.zip');
  await generateExport({ conversations: 8, seed: 9, out: generated });
  files = await readExportZip(generated);
  conversations = conversationsOf(files) as ExportConversation[];
  // A word only one message of one conversation has, in the middle of its thread.
  const node = middleVisibleNode(conversations[3]!)!;
  node.message!.content.parts = ['The Zanzibar itinerary, day by day'];
  await writeExportZip(join(home, 'first.zip'), files, { 'conversations.json': conversations });
  system = await startLocalSystem({ dataDir: home });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  await rm(home, { recursive: true, force: true });
});

const threadline = (...args: string[]) => runThreadline(home, ...args);

async function searchJson(...args: string[]): Promise<Record<string, unknown>[]> {
  const result = await threadline('search', ...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

describe('threadline search', () => {
  it('finds a word in the imported archive, as a JSON array of hits with the agreed fields', slow, async () => {
    expect((await threadline('import', join(home, 'first.zip'), '--json')).code).toBe(0);
    const hits = await searchJson('zanzibar ITINERARY');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversation_id: conversations[3]!.id, title: conversations[3]!.title, snippet: expect.stringContaining('Zanzibar itinerary') });
    expect(Object.keys(hits[0]!)).toEqual(expect.arrayContaining(['conversation_id', 'message_id', 'title', 'snippet', 'score']));
    expect(typeof hits[0]!.score).toBe('number');
    expect(hits[0]!.message_id).toBe(middleVisibleNode(conversations[3]!)!.message!.id);

    const limited = await searchJson('the', '--limit', '3');
    expect(limited).toHaveLength(3);
    const text = await threadline('search', '"zanzibar itinerary"');
    expect(text.stdout).toContain('[Zanzibar] [itinerary]');
  });

  it('says what is wrong with a bad query, exit 1', slow, async () => {
    const unbalanced = await threadline('search', '"zanzibar');
    expect(unbalanced.code).toBe(1);
    expect(unbalanced.stderr).toMatch(/quote is not closed/);
    expect((await threadline('search', '!!!')).stderr).toMatch(/no words/);
  });

  it('follows re-imports: an edit abandons the branch with the word; mirror deletes a conversation', slow, async () => {
    switchBranch(conversations[3]!, middleVisibleNode(conversations[3]!)!);
    await writeExportZip(join(home, 'edited.zip'), files, { 'conversations.json': conversations });
    expect((await threadline('import', join(home, 'edited.zip'), '--json')).code).toBe(0);
    expect(await searchJson('zanzibar')).toEqual([]);
    expect((await searchJson('"edited question"')).map((hit) => hit.conversation_id)).toEqual([conversations[3]!.id]);

    const withoutIt = conversations.filter((_, index) => index !== 3);
    await writeExportZip(join(home, 'mirrored.zip'), files, { 'conversations.json': withoutIt });
    expect((await threadline('import', join(home, 'mirrored.zip'), '--mirror', '--json')).code).toBe(0);
    expect(await searchJson('"edited question"')).toEqual([]);
  });

  it('reindex rebuilds the same answers from the archive', slow, async () => {
    const before = await searchJson('deploy cluster', '--limit', '100');
    const result = await threadline('reindex', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ conversations_indexed: 7 });
    expect(await searchJson('deploy cluster', '--limit', '100')).toEqual(before);
  });
});
