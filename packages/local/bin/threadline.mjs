#!/usr/bin/env node
// Entry for `npx threadline`. s3rver (run in-process by some commands) needs OpenSSL's legacy
// provider for its DES continuation tokens, which can only be enabled at process start: re-exec
// once with it. TypeScript sources are loaded through tsx, so no build step is needed after `npm ci`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const flag = '--openssl-legacy-provider';
// The AWS SDK's notice that its 2027 releases need Node 22 is for us, not for a user's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Help needs no s3rver: answering it in this process keeps `threadline --help` fast.
const args = process.argv.slice(2);
const onlyHelp = args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help';
if (!onlyHelp && !process.execArgv.includes(flag) && !(process.env.NODE_OPTIONS ?? '').includes(flag)) {
  const result = spawnSync(process.execPath, [flag, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
