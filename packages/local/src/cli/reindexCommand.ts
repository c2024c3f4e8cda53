import { Command } from 'commander';
import { writeOutput } from './standardOutput';

/** `threadline reindex`: rebuild a user's search index from the archive (DynamoDB + S3). */
export function reindexCommand(fail: (error: unknown) => never): Command {
  return new Command('reindex')
    .description("Rebuild a user's search index from the archive (run while no import of that user runs)")
    .option('--user <id>', 'the archive user', 'local')
    .option('--json', 'print the counts as one JSON object', false)
    .action(async (options: { user: string; json: boolean }) => {
      const progress = process.stderr.isTTY ? (indexed: number) => process.stderr.write(`\rindexed ${indexed} conversation(s)`) : undefined;
      // Loaded when run, so `threadline --help` does not load the AWS SDK.
      const [{ reindexUser }, { withLocalSystem }] = await Promise.all([import('@threadline/core/search/reindexUser'), import('./withLocalSystem')]);
      const result = await withLocalSystem((system) => reindexUser(system, options.user, progress)).catch(fail);
      if (progress) process.stderr.write('\n');
      await writeOutput(
        options.json
          ? JSON.stringify(result) + '\n'
          : `indexed ${result.conversations_indexed} conversation(s) in ${result.segment_items} index item(s); ${result.items_deleted} old index item(s) removed\n`,
      );
      process.exit(0);
    });
}
