import { Command } from 'commander';
import type { ImportJobSummary } from '@threadline/core/importWorkflow/job/jobListing';
import { writeOutput } from './standardOutput';

/** `threadline imports`: a user's imports, newest first. */
export function importsCommand(fail: (error: unknown) => never): Command {
  return new Command('imports')
    .description('List the imports of a user, newest first')
    .option('--user <id>', 'the archive user', 'local')
    .option('--json', 'print a JSON array of job records', false)
    .action(async (options: { user: string; json: boolean }) => {
      const jobs = await readImports(options.user).catch(fail);
      await writeOutput(options.json ? JSON.stringify(jobs) + '\n' : importsTable(jobs));
      process.exit(0);
    });
}

async function readImports(userId: string): Promise<ImportJobSummary[]> {
  // Loaded when run, so `threadline --help` does not load the AWS SDK.
  const [{ listJobs }, { withArchiveReader }] = await Promise.all([import('@threadline/core/importWorkflow/job/jobListing'), import('./withArchiveReader')]);
  return withArchiveReader(async (archive) => {
    const ctx = { clients: archive.clients, tables: archive.resources.tables, bucket: archive.resources.bucket };
    const jobs: ImportJobSummary[] = [];
    let cursor: string | null = null;
    do {
      const page = await listJobs(ctx, userId, { limit: 100, cursor });
      jobs.push(...page.jobs);
      cursor = page.cursor;
    } while (cursor);
    return jobs;
  });
}

function importsTable(jobs: ImportJobSummary[]): string {
  if (jobs.length === 0) return 'no imports yet\n';
  return (
    jobs
      .map((job) => {
        const c = job.counts;
        return [job.created_at, job.import_id, job.status.padEnd(9), `${c.conversations_total} conversations`, `${c.conversations_created} new`, `${c.conversations_updated} updated`, `${c.conversations_failed} failed`, job.source.name].join('  ');
      })
      .join('\n') + '\n'
  );
}
