import { generateExport } from '../generate/generateExport';
import { progressBar } from './progressBar';

export interface GenerateOptions {
  conversations: number;
  shards?: number;
  seed: number;
  sizeMb?: number;
  out: string;
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
    onProgress: (bytes) => bar?.update(Math.min(bytes, target), { value_mb: (bytes / 1e6).toFixed(0) }),
  });
  bar?.stop();
  process.stderr.write(
    `wrote ${options.out}: ${summary.conversations} conversations, ${summary.shards} file(s), ` +
      `${(summary.conversationBytes / 1e6).toFixed(1)} MB of conversation JSON\n`,
  );
}
