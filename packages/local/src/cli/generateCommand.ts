import { generateExport } from '@threadline/generator/generateExport';
import { progressBar } from './progressBar';

export interface GenerateOptions {
  conversations: number;
  shards?: number;
  seed: number;
  sizeMb?: number;
  out: string;
  assets?: boolean;
  audioKb?: number;
}

export async function generateCommand(options: GenerateOptions): Promise<void> {
  const target = options.sizeMb ? options.sizeMb * 1e6 : 0;
  const bar = target ? progressBar('{bar} {percentage}% | {value_mb} MB', target) : undefined;
  const summary = await generateExport({
    conversations: options.conversations,
    shards: options.shards,
    seed: options.seed,
    sizeMb: options.sizeMb,
    out: options.out,
    assets: options.assets,
    audioBytes: options.audioKb === undefined ? undefined : options.audioKb * 1024,
    onProgress: (bytes) => bar?.update(Math.min(bytes, target), { value_mb: (bytes / 1e6).toFixed(0) }),
  });
  bar?.stop();
  process.stderr.write(
    `wrote ${options.out}: ${summary.conversations} conversations, ${summary.shards} file(s), ` +
      `${(summary.conversationBytes / 1e6).toFixed(1)} MB of conversation JSON` +
      (options.assets ? `, ${summary.assetFiles.written} of ${summary.assetFiles.referenced} referenced files (${(summary.assetFiles.bytes / 1e6).toFixed(1)} MB)` : '') +
      '\n',
  );
}
