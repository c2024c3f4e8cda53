// `npm run bench`: throughput and peak memory of the import path, each figure beside a baseline
// measured in the same run on the same generated export. Not part of `npm test`.
//   npm run bench                 300 MB export
//   npm run bench -- --size-mb 1000
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateExport } from '../src/generate/generateExport';

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '300' }, only: { type: 'string' } } });
const sizeMb = Number(values['size-mb']);
const benchDir = join(process.env.THREADLINE_HOME ?? '.threadline', 'bench');
mkdirSync(benchDir, { recursive: true });
const zipPath = join(benchDir, `export-${sizeMb}mb.zip`);

if (!existsSync(zipPath)) {
  process.stderr.write(`generating a ${sizeMb} MB export at ${zipPath} …\n`);
  await generateExport({ conversations: 1, sizeMb, seed: 42, out: zipPath });
}

interface Measurement { scenario: string; seconds: number; bytes: number; conversations: number; maxRssMb: number }

function measure(scenario: string): Measurement {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'scenario.ts'), scenario, zipPath, join(benchDir, 'convert.jsonl')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as Measurement;
}

const selected = (values.only ?? 'wholeFileParse,streamJson,reader,convert,import,journal').split(',');
const scenarios = selected.filter((scenario) => scenario !== 'import' && scenario !== 'journal');
const results = scenarios.map((scenario) => {
  process.stderr.write(`running ${scenario} …\n`);
  return measure(scenario);
});
// The baseline is what most peers do. Above ~500 MB of JSON it cannot run at all (a string that
// long exceeds V8's limit), so `--only reader,convert` measures large exports without it.
const baseline = results.find((m) => m.scenario === 'wholeFileParse');
const rate = (m: Measurement) => m.bytes / 1e6 / m.seconds;
if (results[0]) {
  console.log(`\nexport: ${zipPath} (${(results[0].bytes / 1e6).toFixed(0)} MB of conversation JSON, ${results[0].conversations} conversations)\n`);
  console.log('| scenario | MB/s | × baseline | peak RSS MB |');
  console.log('|---|---|---|---|');
  for (const m of results) {
    const ratio = baseline ? (rate(m) / rate(baseline)).toFixed(2) : 'n/a';
    console.log(`| ${m.scenario} | ${rate(m).toFixed(1)} | ${ratio} | ${m.maxRssMb.toFixed(0)} |`);
  }
}

/** The same export through the whole local system, beside raw BatchWriteItem of as many items. */
if (selected.includes('import')) {
  process.stderr.write('running import (the whole local system) …\n');
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'importScenario.ts'), '--zip', zipPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = JSON.parse(output.trim().split('\n').at(-1)!);
  console.log(`\n| import (local system) | seconds | messages/s | × raw write time |`);
  console.log('|---|---|---|---|');
  console.log(`| pipeline: ${m.messages} messages | ${m.seconds.toFixed(1)} | ${m.messagesPerSecond.toFixed(0)} | ${m.pipelineOverRaw.toFixed(2)} |`);
  console.log(`| raw BatchWriteItem, same items | ${m.rawWriteSeconds.toFixed(1)} | ${m.rawItemsPerSecond.toFixed(0)} | 1.00 |`);
}

/** The local engine's execution history on disk, beside the same executions kept in memory only. */
if (selected.includes('journal')) {
  process.stderr.write('running journal (execution history on disk) …\n');
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'journalScenario.ts')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = JSON.parse(output.trim().split('\n').at(-1)!);
  const perEvent = (seconds: number) => ((seconds / m.events) * 1e6).toFixed(1);
  console.log(`\n| execution history: ${m.events} events | seconds | µs/event | × in memory |`);
  console.log('|---|---|---|---|');
  console.log(`| on disk (journal) | ${m.diskSeconds.toFixed(2)} | ${perEvent(m.diskSeconds)} | ${(m.diskSeconds / m.memorySeconds).toFixed(2)} |`);
  console.log(`| in memory only | ${m.memorySeconds.toFixed(2)} | ${perEvent(m.memorySeconds)} | 1.00 |`);
  console.log(`| read back at start (restore) | ${m.restoreSeconds.toFixed(2)} | ${perEvent(m.restoreSeconds)} | |`);
}
