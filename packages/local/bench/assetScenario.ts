// `assetScenario`: a file-heavy export (mostly voice recordings) through the whole local system,
// and the copying of its files beside raw S3 PutObject of the same bytes to the same s3rver in
// the same run. Prints one JSON line. Run alone or from run.ts:
//   NODE_OPTIONS=--openssl-legacy-provider tsx packages/local/bench/assetScenario.ts --audio-mb 8 --conversations 300
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import unzipper from 'unzipper';
import { assetEntryName } from '@threadline/core/chatgptExport/exportAssetNames';
import { baseNameOf } from '@threadline/core/chatgptExport/conversationFiles';
import { createReadStream } from 'node:fs';
import { createImportUpload } from '@threadline/core/importWorkflow/upload/createImportUpload';
import { jobContextOf } from '@threadline/core/importWorkflow/importContext';
import { followImportJob } from '../src/app/followImportJob';
import { startLocalSystem } from '../src/app/localSystem';
import { generateExport } from '@threadline/generator/generateExport';
import type { HistoryEvent } from '../src/stepFunctions/executionRegistry';
import { stageSeconds } from './stageSeconds';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '300' },
    'audio-mb': { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});

const workDir = await mkdtemp(join(tmpdir(), 'threadline-bench-assets-'));
// The handlers' log is dropped: the one JSON line on stdout is this scenario's.
const system = await startLocalSystem({ inMemory: true, namePrefix: 'bench-assets', log: () => undefined });
try {
  const zipPath = values.out ?? join(workDir, 'export.zip');
  const generated = await generateExport({
    conversations: Number(values.conversations),
    seed: 42,
    assets: true,
    audioBytes: Number(values['audio-mb']) * 1024 * 1024,
    out: zipPath,
  });

  // Everything runs in this process (s3rver, the engine, the handlers): sample its RSS to see which
  // step holds the memory, not just the peak of the whole run.
  const samples: { at: number; rssMb: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), rssMb: process.memoryUsage().rss / 1024 ** 2 }), 50);
  const started = performance.now();
  // The ZIP goes up as one streaming PutObject to the import's key (its event starts the import
  // as a POST's does): the presigned-POST path of importExportFile holds the form body in this
  // process, which would hide what the copying itself needs.
  const created = await createImportUpload(system, { userId: 'bench', fileName: 'file-heavy.zip', bytes: generated.archiveBytes });
  await system.clients.s3.send(
    new PutObjectCommand({ Bucket: system.resources.bucket, Key: created.key, Body: createReadStream(zipPath), ContentLength: generated.archiveBytes }),
  );
  const job = await followImportJob(jobContextOf(system), { userId: 'bench', importId: created.importId });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (job.status !== 'SUCCEEDED') throw new Error(`import ended ${job.status}: ${job.error}`);
  await system.idle();
  const history = system.registry.describe(`${system.workflowArn.replace(':stateMachine:', ':execution:')}:${job.import_id}`).history;
  const stages = stageSeconds(history);
  const windows = stageWindows(history);
  const peakIn = (name: string) => {
    const window = windows[name];
    return window ? Math.max(0, ...samples.filter((s) => s.at >= window[0] && s.at <= window[1]).map((s) => s.rssMb)) : null;
  };
  const executionStart = Math.min(...Object.values(windows).map(([from]) => from));
  const peakRssMb = {
    upload: Math.max(0, ...samples.filter((s) => s.at < executionStart).map((s) => s.rssMb)),
    split: peakIn('Split'),
    processChunks: peakIn('ProcessChunks'),
  };
  const importRssMb = process.resourceUsage().maxRSS / 1024;

  // Raw PutObject of the very bytes that were stored, one file at a time in memory, 4 in flight
  // (as many files as the copier has in flight); only the PUTs are timed.
  const directory = await unzipper.Open.file(zipPath);
  const files = directory.files.filter((file) => file.type === 'File' && assetEntryName(baseNameOf(file.path)) && !file.path.endsWith('-sample.png'));
  let rawSeconds = 0;
  let rawBytes = 0;
  for (let i = 0; i < files.length; i += 4) {
    const batch = await Promise.all(files.slice(i, i + 4).map((file) => file.buffer()));
    const putStarted = performance.now();
    await Promise.all(
      batch.map((body, j) => system.clients.s3.send(new PutObjectCommand({ Bucket: system.resources.bucket, Key: `bench-raw/${i + j}`, Body: body, ContentLength: body.length }))),
    );
    rawSeconds += (performance.now() - putStarted) / 1000;
    rawBytes += batch.reduce((sum, body) => sum + body.length, 0);
  }

  const copyMb = job.counts.asset_bytes_stored / 1e6;
  process.stdout.write(
    JSON.stringify({
      scenario: 'assets',
      archiveMb: generated.archiveBytes / 1e6,
      conversationMb: generated.conversationBytes / 1e6,
      files: job.counts.assets_stored,
      filesMissing: job.counts.assets_missing,
      assetMb: copyMb,
      importSeconds: seconds,
      importFileMbPerSecond: copyMb / seconds,
      stages,
      processChunksFileMbPerSecond: copyMb / (stages.ProcessChunks ?? seconds),
      rawPutSeconds: rawSeconds,
      rawPutMbPerSecond: rawBytes / 1e6 / rawSeconds,
      importRssMb,
      peakRssMb,
    }) + '\n',
  );
} finally {
  await system.stop();
  await rm(workDir, { recursive: true, force: true });
}


/** [entered, exited] epoch ms of each state. */
function stageWindows(history: HistoryEvent[]): Record<string, [number, number]> {
  const windows: Record<string, [number, number]> = {};
  for (const event of history) {
    const details = (event.stateEnteredEventDetails ?? event.stateExitedEventDetails) as { name: string } | undefined;
    if (!details) continue;
    const at = event.timestamp.getTime();
    if (event.type.endsWith('StateEntered')) windows[details.name] = [at, at];
    else if (windows[details.name]) windows[details.name]![1] = at;
  }
  return windows;
}
