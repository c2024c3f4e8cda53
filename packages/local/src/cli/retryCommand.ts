import { Command } from 'commander';
import type { RetryOutcome } from '@threadline/core/importWorkflow/steps/retryImport';
import type { ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { importExitCodes, importSummary } from './importCommand';
import { progressBar } from './progressBar';
import { writeOutput } from './standardOutput';

interface RetryCommandOptions {
  user: string;
  json: boolean;
}

/**
 * `threadline retry <importId>`: a PARTIAL or interrupted import again, followed to its end. The
 * local engine cannot redrive, so it is always a new import of the same upload (on AWS the API
 * redrives where Step Functions can).
 */
export function retryCommand(fail: (error: unknown) => never): Command {
  return new Command('retry')
    .description('Retry a PARTIAL or interrupted import (the same upload again), and follow it')
    .argument('<importId>', 'the import to retry (see `threadline imports`)')
    .option('--user <id>', 'the archive user', 'local')
    .option('--json', 'print the final job record of the retry as one JSON object on stdout', false)
    .action(async (importId: string, options: RetryCommandOptions) => {
      const { outcome, job } = await runRetry(importId, options).catch(fail);
      const how = outcome.mode === 'redriven' ? 'redriven' : `retried as import ${outcome.importId} (${outcome.fallback})`;
      await writeOutput(options.json ? JSON.stringify({ ...job, retry: outcome }) + '\n' : `import ${importId} ${how}\n${importSummary(job)}`);
      process.exit(importExitCodes[job.status as keyof typeof importExitCodes] ?? 1);
    });
}

async function runRetry(importId: string, options: RetryCommandOptions): Promise<{ outcome: RetryOutcome; job: ImportJob }> {
  // Loaded when run, so `threadline --help` does not load the AWS SDK.
  const [{ followImportJob }, { jobContextOf }, { retryImport }, { withLocalSystem }] = await Promise.all([
    import('../app/followImportJob'),
    import('@threadline/core/importWorkflow/importContext'),
    import('@threadline/core/importWorkflow/steps/retryImport'),
    import('./withLocalSystem'),
  ]);
  return withLocalSystem(async (system) => {
    const ctx = { clients: system.clients, resources: system.resources, log: system.log };
    const outcome = await retryImport(ctx, { userId: options.user, importId }, { workflowArn: system.workflowArn });
    const bar = progressBar('{bar} {percentage}% | {stage} | {conversations} conversations', 100);
    try {
      const job = await followImportJob(jobContextOf(ctx), { userId: options.user, importId: outcome.importId }, {
        onUpdate: (update) => {
          const c = update.counts;
          const processed = c.conversations_created + c.conversations_updated + c.conversations_unchanged + c.conversations_skipped_stale + c.conversations_failed;
          bar.update(update.progress_percent, { stage: update.stage ?? update.status, conversations: `${processed}/${c.conversations_total}` });
        },
      });
      return { outcome, job };
    } finally {
      bar.stop();
    }
  });
}
