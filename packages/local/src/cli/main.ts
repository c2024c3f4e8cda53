import { Command, InvalidArgumentError } from 'commander';
import { assetCommand } from './assetCommand';
import { conversationsCommand } from './conversationsCommand';
import { importCommand } from './importCommand';
import { importsCommand } from './importsCommand';
import { reindexCommand } from './reindexCommand';
import { resetCommand } from './resetCommand';
import { retryCommand } from './retryCommand';
import { searchCommand } from './searchCommand';
import { showCommand } from './showCommand';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return parsed;
}

/** Any error reaching the top is one line for a person, exit 1; stack traces only with THREADLINE_DEBUG. */
function fail(error: unknown): never {
  const message = humanMessage(error);
  process.stderr.write(`threadline: ${message.split('\n')[0]}\n`);
  if (process.env.THREADLINE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

/** Node's system errors name a syscall; a person wants the path and what is wrong with it. */
function humanMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT' && path) return `${path}: no such file`;
  if (code === 'EACCES' && path) return `${path}: permission denied`;
  if (code === 'EISDIR' && path) return `${path}: is a directory, expected an export file`;
  return error.message;
}

const program = new Command('threadline')
  .description('Import ChatGPT exports into a durable archive')
  .showHelpAfterError();

program
  .command('convert')
  .description('Convert an export (.zip or conversations.json) to JSONL of normalized conversations, offline')
  .argument('<export>', 'a ChatGPT export: .zip, conversations.json or conversations-NNN.json; - for stdin')
  .option('-o, --out <file>', 'write JSONL to this file instead of stdout')
  .action(async (input: string, options: { out?: string }) => {
    // Command implementations load when run, so `--help` stays fast.
    const [{ convertExport }, { printConvertSummary }] = await Promise.all([import('./convertCommand'), import('./convertSummary')]);
    const summary = await convertExport(input, options.out).catch(fail);
    printConvertSummary(summary, options.out);
    // 2: the file broke after some conversations; those were kept (as import's PARTIAL).
    if (summary.readError !== undefined) process.exitCode = 2;
  });

program
  .command('generate')
  .description('Write a deterministic synthetic export for tests, demos and benchmarks')
  .requiredOption('--out <file.zip>', 'where to write the ZIP')
  .option('--conversations <n>', 'number of conversations (a minimum when --size-mb is given)', positiveInteger, 100)
  .option('--shards <k>', 'shard into conversations-000.json… with export_manifest.json', positiveInteger)
  .option('--seed <s>', 'random seed', positiveInteger, 1)
  .option('--size-mb <mb>', 'grow until the conversation JSON reaches this many MB', positiveInteger)
  .option('--assets', 'also write the files the conversations point at (PNG, WAV, PDF; 2026 layout when sharded)', false)
  .option('--audio-kb <kb>', 'with --assets: size of each voice file in KB', positiveInteger)
  .action(async (options: { out: string; conversations: number; shards?: number; seed: number; sizeMb?: number; assets: boolean; audioKb?: number }) => {
    const { generateCommand } = await import('./generateCommand');
    await generateCommand(options).catch(fail);
  });

program.addCommand(importCommand(fail));
program.addCommand(importsCommand(fail));
program.addCommand(retryCommand(fail));
program.addCommand(conversationsCommand(fail));
program.addCommand(showCommand(fail));
program.addCommand(assetCommand(fail));
program.addCommand(searchCommand(fail));
program.addCommand(reindexCommand(fail));
program.addCommand(resetCommand(fail));

await program.parseAsync(process.argv);
