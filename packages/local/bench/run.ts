// `npm run bench`: throughput and peak memory of the import path, each figure beside a baseline
// measured in the same run on the same generated export, and the search engines compared on it.
// Not part of `npm test`.
//   npm run bench -- --size-mb 50 --only search
//   npm run bench                 300 MB export
//   npm run bench -- --size-mb 1000
//   npm run bench -- --only assets          a file-heavy export (voice recordings): file copy beside raw PutObject
//   npm run bench -- --size-mb 1000 --only reader,convert --rounds 5
//                                 every scenario once per round, in turn; each ratio is against the
//                                 baseline of its own round, and the median round is the figure
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateExport } from '@threadline/generator/generateExport';

const { values } = parseArgs({
  options: { 'size-mb': { type: 'string', default: '300' }, only: { type: 'string' }, rounds: { type: 'string', default: '1' }, 'asset-conversations': { type: 'string', default: '200' }, 'audio-mb': { type: 'string', default: '8' } },
});
const sizeMb = Number(values['size-mb']);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1, not ${values.rounds}`);
const benchDir = join(process.env.THREADLINE_HOME ?? '.threadline', 'bench');
mkdirSync(benchDir, { recursive: true });
const zipPath = join(benchDir, `export-${sizeMb}mb.zip`);

const selected = (values.only ?? 'wholeFileParse,streamJson,reader,convert,convertOneThread,import,importOnDisk,searchIndexCost,assets,search,journal').split(',');
if (!existsSync(zipPath) && selected.some((scenario) => !['assets', 'journal', 'migration'].includes(scenario))) {
  process.stderr.write(`generating a ${sizeMb} MB export at ${zipPath} …\n`);
  await generateExport({ conversations: 1, sizeMb, seed: 42, out: zipPath });
}

interface Measurement { scenario: string; seconds: number; cpuSeconds: number; busiestThreadCpuSeconds: number | null; bytes: number; conversations: number; maxRssMb: number }

function measure(scenario: string): Measurement {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'scenario.ts'), scenario, zipPath, join(benchDir, 'convert.jsonl')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as Measurement;
}

const scenarios = selected.filter((scenario) => !['import', 'importOnDisk', 'searchIndexCost', 'assets', 'search', 'journal', 'migration'].includes(scenario));

/** The middle value (the lower of the two middle ones for an even count). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
}

/** Per round, per scenario: the machine's speed drifts between rounds, rarely within one. */
const roundResults: Measurement[][] = [];
for (let round = 1; round <= rounds && scenarios.length > 0; round++) {
  roundResults.push(
    scenarios.map((scenario) => {
      process.stderr.write(`running ${scenario}${rounds > 1 ? ` (round ${round} of ${rounds})` : ''} …\n`);
      return measure(scenario);
    }),
  );
}
// The baseline is what most peers do. Above ~500 MB of JSON it cannot run at all (a string that
// long exceeds V8's limit), so `--only reader,convert` measures large exports against the reader.
const baselineScenario = scenarios.includes('wholeFileParse') ? 'wholeFileParse' : scenarios.includes('reader') ? 'reader' : undefined;
const baselineColumn = baselineScenario ? scenarios.indexOf(baselineScenario) : -1;
const rate = (m: Measurement) => m.bytes / 1e6 / m.seconds;
if (roundResults[0]) {
  const first = roundResults[0][0]!;
  console.log(`\nexport: ${zipPath} (${(first.bytes / 1e6).toFixed(0)} MB of conversation JSON, ${first.conversations} conversations)\n`);
  console.log(`baseline: ${baselineScenario ?? 'none'}${rounds > 1 ? `; ${rounds} rounds, each ratio against its own round's baseline, figures "round 1 / round 2 / …", then the median` : ''}\n`);
  // The busiest thread's CPU time bounds the wall time once a core is free: on a loaded machine
  // its ratio to the baseline's says more than the wall clock's.
  const busiest = (m: Measurement) => m.busiestThreadCpuSeconds;
  const perRound = (values: (number | null)[], digits: number) => {
    const known = values.filter((value): value is number => value !== null);
    if (known.length === 0) return 'n/a';
    const listed = values.map((value) => value?.toFixed(digits) ?? 'n/a').join(' / ');
    return rounds > 1 ? `${listed} (median ${median(known).toFixed(digits)})` : listed;
  };
  console.log('| scenario | MB/s | × baseline | CPU s | busiest thread CPU s | × baseline (busiest thread) | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|');
  scenarios.forEach((scenario, column) => {
    const runs = roundResults.map((round) => ({ m: round[column]!, baseline: round[baselineColumn] }));
    const ratios = runs.map(({ m, baseline }) => (baseline ? rate(m) / rate(baseline) : null));
    const threadRatios = runs.map(({ m, baseline }) =>
      baseline && busiest(m) && busiest(baseline) ? busiest(baseline)! / baseline.bytes / (busiest(m)! / m.bytes) : null,
    );
    const cells = [
      perRound(runs.map(({ m }) => rate(m)), 1),
      perRound(ratios, 2),
      perRound(runs.map(({ m }) => m.cpuSeconds), 1),
      perRound(runs.map(({ m }) => busiest(m)), 1),
      perRound(threadRatios, 2),
      Math.max(...runs.map(({ m }) => m.maxRssMb)).toFixed(0),
    ];
    console.log(`| ${scenario} | ${cells.join(' | ')} |`);
  });
}

/** An import scenario's CPU seconds, node's and DynamoDB Local's JVM's. */
const cpu = (c: { node: number; dynamoDbLocal: number | null } | null) =>
  c ? `node ${c.node.toFixed(1)} + DynamoDB Local ${c.dynamoDbLocal?.toFixed(1) ?? '?'} CPU s` : 'CPU not measured';

/**
 * The same export through the whole local system (in memory, and on disk as `npm start` keeps it),
 * beside raw BatchWriteItem of one ~1 KB item per message into the same DynamoDB Local.
 */
for (const [scenario, flags] of [['import', []], ['importOnDisk', ['--on-disk']]] as const) {
  if (!selected.includes(scenario)) continue;
  // Each round measures its own raw floor beside its import (importScenario), so a round's ratio is its own.
  const overFloor: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`running ${scenario} (the whole local system)${rounds > 1 ? `, round ${round} of ${rounds}` : ''} …\n`);
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'importScenario.ts'), '--zip', zipPath, ...flags], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const m = JSON.parse(output.trim().split('\n').at(-1)!);
    overFloor.push(m.pipelineOverRaw);
    console.log(`\n| ${scenario === 'import' ? 'import, DynamoDB Local in memory' : 'import, DynamoDB Local on disk'}${rounds > 1 ? `, round ${round}` : ''} | seconds | messages/s | × raw write time |`);
    console.log('|---|---|---|---|');
    const items = Object.entries(m.items as Record<string, { items: number; meanKb: number; writeUnits: number }>)
      .map(([kind, c]) => `${c.items} ${kind} (mean ${c.meanKb.toFixed(1)} KB, ${c.writeUnits} WRU)`)
      .join(', ');
    console.log(`| pipeline: ${m.messages} messages in ${items} | ${m.seconds.toFixed(1)} | ${m.messagesPerSecond.toFixed(0)} | ${m.pipelineOverRaw.toFixed(2)} |`);
    console.log(`| raw BatchWriteItem, one ~1 KB item per message | ${m.rawWriteSeconds.toFixed(1)} | ${m.rawItemsPerSecond.toFixed(0)} | 1.00 |`);
    console.log(`\nCPU: the import ${cpu(m.cpuSeconds)}, the floor ${cpu(m.rawCpuSeconds)}.`);
    if (m.listing) {
      console.log(`\n\`threadline conversations --json\`, no system running: ${m.listing.seconds.toFixed(2)} s for ${m.listing.conversations} conversations; \`threadline --help\`: ${m.listing.helpSeconds.toFixed(2)} s`);
    }
  }
  if (rounds > 1) console.log(`\n${scenario}: × raw write time ${overFloor.map((ratio) => ratio.toFixed(2)).join(' / ')}, median ${median(overFloor).toFixed(2)}`);
}

/**
 * What the search index adds to a first import: the same export through the whole local system
 * (in memory) with the index and without it, each on its own warmed DynamoDB Local, three pairs
 * in the order with, without, without, with, with, without (so neither side always runs first);
 * the median pair is the figure, the spread says how much the machine moved.
 */
if (selected.includes('searchIndexCost')) {
  process.stderr.write('running searchIndexCost (the import with and without the search index, three pairs) …\n');
  const run = (flags: string[]) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'importScenario.ts'), '--zip', zipPath, '--skip-raw-floor', ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!);
  const pairs: { withIndex: { seconds: number; conversations: number }; without: { seconds: number } }[] = [];
  for (const withFirst of [true, false, true]) {
    const first = run(withFirst ? [] : ['--without-search-index']);
    const second = run(withFirst ? ['--without-search-index'] : []);
    pairs.push(withFirst ? { withIndex: first, without: second } : { withIndex: second, without: first });
  }
  const added = pairs.map(({ withIndex, without }) => (withIndex.seconds - without.seconds) / without.seconds);
  console.log(`\n| first import, DynamoDB Local in memory (${pairs[0]!.withIndex.conversations} conversations) | with the index, s | without, s | added |`);
  console.log('|---|---|---|---|');
  pairs.forEach(({ withIndex, without }, index) => console.log(`| pair ${index + 1} | ${withIndex.seconds.toFixed(1)} | ${without.seconds.toFixed(1)} | ${(added[index]! * 100).toFixed(0)} % |`));
  console.log(`indexing adds ${(median(added) * 100).toFixed(0)} % (median of the pairs) to the first import's time`);
}

/** A file-heavy export through the whole local system: file copy beside raw PutObject of the same bytes. */
if (selected.includes('assets')) {
  process.stderr.write('running assets (a file-heavy export through the local system) …\n');
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'assetScenario.ts'), '--conversations', values['asset-conversations']!, '--audio-mb', values['audio-mb']!],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const m = JSON.parse(output.trim().split('\n').at(-1)!);
  console.log(`\nfile-heavy export: ${m.archiveMb.toFixed(0)} MB ZIP, ${m.assetMb.toFixed(0)} MB in ${m.files} files (${m.filesMissing} pointers without a file), ${m.conversationMb.toFixed(1)} MB of conversation JSON`);
  console.log('| files | MB/s | × raw PutObject | peak RSS MB |');
  console.log('|---|---|---|---|');
  console.log(`| import, whole pipeline (${m.importSeconds.toFixed(1)} s) | ${m.importFileMbPerSecond.toFixed(1)} | ${(m.importFileMbPerSecond / m.rawPutMbPerSecond).toFixed(2)} | ${m.importRssMb.toFixed(0)} |`);
  console.log(`| ProcessChunks stage: copy + conversations (${m.stages.ProcessChunks.toFixed(1)} s) | ${m.processChunksFileMbPerSecond.toFixed(1)} | ${(m.processChunksFileMbPerSecond / m.rawPutMbPerSecond).toFixed(2)} | ${m.peakRssMb.processChunks?.toFixed(0) ?? '-'} |`);
  console.log(`| raw PutObject of the same bytes from memory | ${m.rawPutMbPerSecond.toFixed(1)} | 1.00 | |`);
  console.log(`peak RSS of the one process (s3rver, engine and handlers in it) by step: upload ${m.peakRssMb.upload.toFixed(0)} MB, Split ${m.peakRssMb.split?.toFixed(0) ?? '-'} MB, ProcessChunks ${m.peakRssMb.processChunks?.toFixed(0) ?? '-'} MB`);
}

/** Finalize's layout migration beside the import's writer on the same threads (migrationScenario.ts); run with `--only migration`. */
if (selected.includes('migration')) {
  process.stderr.write('running migration (layout 1 → pages, one user per Finalize) …\n');
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'migrationScenario.ts')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const m = JSON.parse(output.trim().split('\n').at(-1)!);
  console.log(`\nlayout migration: ${m.users} users × the layout-1 fixture (${m.conversations} conversations, ${m.messages} messages)`);
  console.log('| | seconds | conversations/s | × fresh write |');
  console.log('|---|---|---|---|');
  console.log(`| migrateUserLayout, one user at a time | ${m.migrationSeconds.toFixed(2)} | ${(m.conversations / m.migrationSeconds).toFixed(0)} | ${(m.migrationSeconds / m.freshWriteSeconds).toFixed(2)} |`);
  console.log(`| writeConversations of the same threads (baseline) | ${m.freshWriteSeconds.toFixed(2)} | ${(m.conversations / m.freshWriteSeconds).toFixed(0)} | 1.00 |`);
  console.log(`a Finalize of a user already current: ${m.currentUserMs.toFixed(1)} ms (two marker reads)`);
}

/** Search: our DynamoDB segments beside MiniSearch in S3, on the same archive (searchScenario.ts). */
if (selected.includes('search')) {
  process.stderr.write('running search (index build, queries, edits) …\n');
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'searchScenario.ts'), '--zip', zipPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = JSON.parse(output.trim().split('\n').at(-1)!);
  const ms = (value: number) => value.toFixed(0);
  console.log(`\n| search engine (${m.conversations} conversations, ${m.messages} messages; archive writes ${m.archiveSeconds.toFixed(1)} s) | ours: DynamoDB segments | MiniSearch in S3 |`);
  console.log('|---|---|---|');
  console.log(`| build, s per 1,000 conversations | ${m.ours.secondsPer1000Conversations.toFixed(1)} (${(m.ours.buildOverArchive * 100).toFixed(0)} % of the archive's writes) | ${m.minisearch.secondsPer1000Conversations.toFixed(1)} |`);
  console.log(`| 100 edited conversations, s | ${m.ours.edit100Seconds.toFixed(2)} (archive: ${m.archiveEdit100Seconds.toFixed(2)}) | ${m.minisearch.edit100Seconds.toFixed(2)} (whole index rewritten) |`);
  console.log(`| query cold p50 / p95, ms | ${ms(m.ours.cold.p50)} / ${ms(m.ours.cold.p95)} | ${ms(m.minisearch.cold.p50)} / ${ms(m.minisearch.cold.p95)} (load from S3 + parse) |`);
  console.log(`| query warm p50 / p95, ms (ours: a process keeping its SearchCache) | ${ms(m.ours.warm.p50)} / ${ms(m.ours.warm.p95)} | ${ms(m.minisearch.warm.p50)} / ${ms(m.minisearch.warm.p95)} |`);
  console.log(`| query with nothing kept between requests, p50 / p95, ms | ${ms(m.ours.uncached.p50)} / ${ms(m.ours.uncached.p95)} | |`);
  console.log(`| index size, MB | ${m.ours.indexMb.toFixed(1)} (${m.ours.segmentItems} items) | ${m.minisearch.indexMb.toFixed(1)} |`);
  console.log(`| baseline: one GetItem, p50 / p95, ms | ${m.getItem.p50.toFixed(1)} / ${m.getItem.p95.toFixed(1)} | |`);
  console.log(`| warm p50 / p95 by query, ms | ${Object.entries(m.warmByQuery as Record<string, { p50: number; p95: number }>).map(([q, v]) => `${q} ${ms(v.p50)}/${ms(v.p95)}`).join(', ')} | |`);
  console.log(`| heap a query needs, MB | ${m.ours.queryHeapMb.toFixed(0)} | ${m.minisearch.queryHeapMb.toFixed(0)} (the whole index) |`);
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
