import { describeTruncatedFile } from '@threadline/core/chatgptExport/truncatedFile';
import type { ConvertSummary } from './convertCommand';

/** The human summary of `convert` on stderr; stdout carries only JSONL. */
export function printConvertSummary(summary: ConvertSummary, out?: string, stream: NodeJS.WritableStream = process.stderr): void {
  const mb = summary.bytes / 1e6;
  for (const failure of summary.failed) {
    stream.write(`failed: conversation #${failure.index}${failure.conversation_id ? ` (${failure.conversation_id})` : ''}: ${failure.reason}\n`);
  }
  if (summary.missingShards.length > 0) {
    stream.write(`incomplete export: the manifest lists shards missing from the archive: ${summary.missingShards.join(', ')}\n`);
  }
  for (const file of summary.truncatedFiles) stream.write(`incomplete export: ${describeTruncatedFile(file)}\n`);
  if (summary.readError === undefined && summary.conversations === 0 && summary.failed.length === 0) {
    stream.write(`no conversations: ${summary.files.join(', ')} ${summary.files.length === 1 ? 'holds' : 'hold'} none (nothing to convert)\n`);
  }
  stream.write(
    `${summary.conversations} conversations ok, ${summary.failed.length} failed, ${summary.duplicates} duplicates, ` +
      `${summary.messages} messages, ${mb.toFixed(1)} MB in ${summary.seconds.toFixed(1)} s ` +
      `(${(mb / Math.max(summary.seconds, 0.001)).toFixed(1)} MB/s)\n`,
  );
  if (summary.readError !== undefined) {
    stream.write(
      `threadline: stopped reading: ${summary.readError}; kept the ${summary.conversations} conversations before it (written to ${out ?? 'stdout'})\n`,
    );
  }
}
