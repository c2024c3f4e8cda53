import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { resolveDataDirectory } from '../stack/dataDirectory';
import { withLocalSystem } from './withLocalSystem';
import type { LocalSystemConnection } from '../app/localSystemConnection';
import { progressBar } from './progressBar';
import { writeOutput } from './standardOutput';

/** Exit codes: the import's outcome, so scripts can tell a partial import from a failed one. */
export const importExitCodes = { SUCCEEDED: 0, PARTIAL: 2, FAILED: 1 } as const;

export interface ImportCommandOptions {
  user: string;
  mirror: boolean;
  json: boolean;
}

/** `threadline import <export>`: upload through the local system and follow the job to its end. */
export function importCommand(fail: (error: unknown) => never): Command {
  return new Command('import')
    .description('Import an export into the local archive (through the same workflow as AWS), and follow it')
    .argument('<export>', 'a ChatGPT export: .zip or .json')
    .option('--user <id>', 'the archive user', 'local')
    .option('--mirror', 'also delete stored conversations the export no longer contains', false)
    .option('--json', 'print the final job record as one JSON object on stdout', false)
    .action(async (file: string, options: ImportCommandOptions) => {
      const job = await runImport(file, options).catch(fail);
      await writeOutput(options.json ? JSON.stringify(job) + '\n' : importSummary(job));
      process.exit(importExitCodes[job.status as keyof typeof importExitCodes] ?? 1);
    });
}

async function runImport(file: string, options: ImportCommandOptions): Promise<ImportJob> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  if (process.stderr.isTTY) process.stderr.write(`using the local system in ${resolveDataDirectory()} …\n`);
  return withLocalSystem((system) => followUpload(system, file, options));
}

async function followUpload(system: LocalSystemConnection, file: string, options: ImportCommandOptions): Promise<ImportJob> {
  const bar = progressBar('{bar} {percentage}% | {stage} | {conversations} conversations | {files} files | {rate} conv/s', 100);
  bar.update(0, { stage: 'UPLOADING', conversations: '-', files: '-', rate: 0 });
  const started = Date.now();
  try {
    const { importExportFile } = await import('../app/importExportFile');
    return await importExportFile(
      system,
      { filePath: file, userId: options.user, mirror: options.mirror },
      {
        onUploadProgress: (sent, total) => {
          bar.update(0, { stage: `UPLOADING ${((sent / Math.max(total, 1)) * 100).toFixed(0)}% of ${(total / 1e6).toFixed(0)} MB`, conversations: '-', files: '-', rate: 0 });
        },
        onUpdate: (job) => {
          const processed = processedConversations(job);
          const seconds = Math.max(0.001, (Date.now() - started) / 1000);
          bar.update(job.progress_percent, {
            stage: job.stage ?? job.status,
            conversations: `${processed}/${job.counts.conversations_total}`,
            files: `${job.counts.assets_stored + job.counts.assets_unchanged}/${job.assets_total}`,
            rate: (processed / seconds).toFixed(0),
          });
        },
      },
    );
  } finally {
    bar.stop();
  }
}

function processedConversations(job: ImportJob): number {
  const c = job.counts;
  return c.conversations_created + c.conversations_updated + c.conversations_unchanged + c.conversations_skipped_stale + c.conversations_failed;
}

/** The human summary of a finished import. */
export function importSummary(job: ImportJob): string {
  const c = job.counts;
  const seconds = job.started_at && job.finished_at ? (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000 : null;
  const headline = `import ${job.import_id} (${job.source.name}): ${job.status}${seconds !== null ? ` in ${seconds.toFixed(1)} s` : ''}`;
  // A failed import that read nothing has no counts worth a line.
  if (job.status === 'FAILED' && c.conversations_total === 0) return `${headline}\n  error: ${job.error ?? 'unknown'}\n`;
  const lines = [
    headline,
    `  ${c.conversations_total} conversations: ${c.conversations_created} new, ${c.conversations_updated} updated, ` +
      `${c.conversations_unchanged} unchanged, ${c.conversations_skipped_stale} kept (stored copy newer), ${c.conversations_failed} failed` +
      (c.duplicates ? `, ${c.duplicates} duplicate copies ignored` : ''),
    `  messages: ${c.messages_put} written, ${c.messages_deleted} deleted; ${c.objects_offloaded} large texts stored in S3`,
  ];
  if (c.assets_stored + c.assets_unchanged + c.assets_missing > 0) {
    lines.push(
      `  files: ${c.assets_stored} stored (${(c.asset_bytes_stored / 1e6).toFixed(1)} MB), ${c.assets_unchanged} already archived, ` +
        `${c.assets_missing} not in this export`,
    );
  }
  for (const problem of job.asset_problems) lines.push(`  file: ${problem}`);
  if (job.missing_shards.length > 0) lines.push(`  files the export lists but lacks: ${job.missing_shards.join(', ')}`);
  for (const problem of job.read_errors) lines.push(`  could not read: ${problem}`);
  for (const failure of job.failures) {
    const where = [failure.index !== undefined ? `#${failure.index}` : null, failure.conversation_id].filter(Boolean).join(' ');
    lines.push(`  failed: ${where || 'chunk'}: ${failure.reason}`);
  }
  if (job.failures.length < c.conversations_failed && job.report_key) lines.push(`  full failure list: s3 ${job.report_key}`);
  if (job.error) lines.push(`  ${job.status === 'FAILED' ? 'error' : 'note'}: ${job.error}`);
  return lines.join('\n') + '\n';
}
