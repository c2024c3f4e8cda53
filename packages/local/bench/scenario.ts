// One benchmark scenario in its own process, so its peak RSS is its own. Prints one JSON line:
// { scenario, seconds, cpuSeconds, busiestThreadCpuSeconds, bytes, conversations, maxRssMb }.
import { text } from 'node:stream/consumers';
import unzipper from 'unzipper';
import { fileSource } from '@threadline/core/chatgptExport/fileSource';
import { openExport } from '@threadline/core/chatgptExport/openExport';
import { streamJsonConversations } from '@threadline/testkit/streamJsonBaseline';
import { convertExport } from '../src/cli/convertCommand';
import { sampleThreadCpu } from './threadCpu';

const [scenario, zipPath, outPath] = process.argv.slice(2);

async function conversationEntries(): Promise<unzipper.File[]> {
  const directory = await unzipper.Open.file(zipPath);
  return directory.files
    .filter((file) => /(^|\/)conversations(-\d+)?\.json$/.test(file.path))
    .sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

const scenarios: Record<string, () => Promise<{ bytes: number; conversations: number }>> = {
  /** What most peers do: the whole file in memory, one JSON.parse. */
  async wholeFileParse() {
    let bytes = 0;
    let conversations = 0;
    for (const file of await conversationEntries()) {
      const json = await text(file.stream());
      bytes += Buffer.byteLength(json);
      conversations += (JSON.parse(json) as unknown[]).length;
    }
    return { bytes, conversations };
  },
  /** The chosen library alone: stream-json's streamArray over each file. */
  async streamJson() {
    let bytes = 0;
    let conversations = 0;
    for (const file of await conversationEntries()) {
      bytes += file.uncompressedSize;
      for await (const _ of streamJsonConversations(file.stream())) conversations += 1;
    }
    return { bytes, conversations };
  },
  /** Our reader alone: boundary scan + JSON.parse per conversation. */
  async reader() {
    const opened = await openExport(fileSource(zipPath));
    let conversations = 0;
    for await (const _ of opened.conversations()) conversations += 1;
    return { bytes: opened.totalBytes, conversations };
  },
  /** `threadline convert`: read, canonical walk, normalize, hash, JSONL out (worker threads as the CLI picks). */
  async convert() {
    const summary = await convertExport(zipPath, outPath);
    return { bytes: summary.bytes, conversations: summary.conversations };
  },
  /** The same on the calling thread alone: what the worker thread adds. */
  async convertOneThread() {
    const summary = await convertExport(zipPath, outPath, { workers: 0 });
    return { bytes: summary.bytes, conversations: summary.conversations };
  },
};

const run = scenarios[scenario];
if (!run) throw new Error(`unknown scenario ${scenario}`);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const threads = sampleThreadCpu();
const result = await run();
const busiestThreadCpuSeconds = threads.stop();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// CPU seconds of all the process's threads: less sensitive than wall time to a shared machine.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ scenario, seconds, cpuSeconds, busiestThreadCpuSeconds, ...result, maxRssMb }) + '\n');
