import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '@threadline/local/app/localSystem';

// The export's files as a user meets them: `generate --assets`, `import --json` through the whole
// local system (upload, S3 event, state machine, Distributed Map adapter), `show --json` and
// `asset`, each a subprocess of the real bin with THREADLINE_HOME in a temp dir. One system runs on
// that data dir for the whole file, so each command uses it instead of starting its own.

const bin = join(import.meta.dirname, '../../packages/local/bin/threadline.mjs');
let home: string;
let system: LocalSystem;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'threadline-assets-cli-'));
  system = await startLocalSystem({ dataDir: home });
}, 120_000);
afterAll(async () => {
  await system?.stop();
  await rm(home, { recursive: true, force: true });
});

async function threadline(...args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, THREADLINE_HOME: home };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, cwd: home, maxBuffer: 64 << 20, encoding: 'buffer' });
    return { code: 0, stdout, stderr: stderr.toString() };
  } catch (error) {
    const failed = error as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr.toString() };
  }
}

interface ShownAsset {
  pointer: string;
  name: string | null;
  mime_type: string | null;
  bytes: number | null;
  sha256: string | null;
  stored: boolean;
}

describe('files through the CLI', () => {
  it('generates, imports, shows and writes back the files of an export; a re-import writes none', async () => {
    const exportPath = join(home, 'with-files.zip');
    const generated = await threadline('generate', '--conversations', '12', '--seed', '3', '--assets', '--out', exportPath);
    expect(generated.code, generated.stderr).toBe(0);

    const imported = await threadline('import', exportPath, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const job = JSON.parse(imported.stdout.toString());
    expect(job.status).toBe('SUCCEEDED');
    expect(Object.keys(job.counts)).toEqual(expect.arrayContaining(['assets_stored', 'assets_unchanged', 'assets_missing', 'asset_bytes_stored']));
    expect(job.counts.assets_stored).toBeGreaterThan(0);
    expect(job.counts.asset_bytes_stored).toBeGreaterThan(0);

    const listed = JSON.parse((await threadline('conversations', '--json')).stdout.toString()) as { conversation_id: string }[];
    const assets: ShownAsset[] = [];
    for (const { conversation_id } of listed) {
      const shown = await threadline('show', conversation_id, '--json');
      expect(shown.code, shown.stderr).toBe(0);
      const { messages } = JSON.parse(shown.stdout.toString()) as { messages: { assets: ShownAsset[] }[] };
      for (const message of messages) {
        expect(Array.isArray(message.assets)).toBe(true);
        assets.push(...message.assets);
      }
      if (assets.some((a) => a.stored) && assets.some((a) => !a.stored)) break;
    }
    for (const asset of assets) expect(Object.keys(asset).sort()).toEqual(['bytes', 'mime_type', 'name', 'pointer', 'sha256', 'stored']);
    const stored = assets.find((asset) => asset.stored)!;
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);

    const out = join(home, 'asset.bin');
    const written = await threadline('asset', stored.sha256!, '--out', out);
    expect(written.code, written.stderr).toBe(0);
    const bytes = await readFile(out);
    expect(bytes.length).toBe(stored.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);
    const piped = await threadline('asset', stored.sha256!);
    expect(piped.stdout.equals(bytes)).toBe(true);
    const unknown = await threadline('asset', '0'.repeat(64));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`threadline: no stored file ${'0'.repeat(64)} for user local\n`);

    const again = JSON.parse((await threadline('import', exportPath, '--json')).stdout.toString());
    expect(again.counts).toMatchObject({ assets_stored: 0, asset_bytes_stored: 0, assets_unchanged: job.counts.assets_stored, assets_missing: job.counts.assets_missing });
  }, 240_000);
});
