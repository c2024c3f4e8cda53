import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';

/** `threadline asset <sha256> [--out FILE]`: the stored bytes of one file of the archive. */
export function assetCommand(fail: (error: unknown) => never): Command {
  return new Command('asset')
    .description('Write the stored bytes of an archived file (an image, a voice recording, an attachment)')
    .argument('<sha256>', 'the sha256 from `threadline show <id> --json` (a message\'s assets)')
    .option('--user <id>', 'the archive user', 'local')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (sha256: string, options: { user: string; out?: string }) => {
      await writeAsset(sha256.toLowerCase(), options).catch(fail);
      process.exit(0);
    });
}

async function writeAsset(sha256: string, options: { user: string; out?: string }): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${sha256} is not a sha256 (64 hex digits)`);
  // Loaded when run, so `threadline --help` does not load the AWS SDK.
  const [{ GetObjectCommand }, { objectKeys }, { isStoredAsset }, { withArchiveReader }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@threadline/core/archive/objectKeys'),
    import('@threadline/core/archive/assetReferences'),
    import('./withArchiveReader'),
  ]);
  await withArchiveReader(async (system) => {
    if (!(await isStoredAsset(system, options.user, sha256))) throw new Error(`no stored file ${sha256} for user ${options.user}`);
    const { Body } = await system.clients.s3.send(new GetObjectCommand({ Bucket: system.resources.bucket, Key: objectKeys.asset(options.user, sha256) }));
    const body = Body as Readable;
    if (!options.out) {
      await pipeline(body, process.stdout, { end: false });
      return;
    }
    // Published only when complete, like convert's --out.
    const partial = `${options.out}.partial-${process.pid}`;
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, options.out);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  });
}
