// The files a Distributed Map's ResultWriter leaves in S3, defined once: the local Map adapter
// writes them (packages/local/src/engine), Finalize reads them (steps/mapRunResults.ts), tests
// fake them. As AWS documents it: `<Prefix>/<map run id>/manifest.json` lists the non-empty
// `SUCCEEDED_<n>.json` / `FAILED_<n>.json` (and `PENDING_<n>.json`) files, each a JSON array of
// child execution records; the Map's output then names the manifest.

export const resultFileStatuses = ['FAILED', 'PENDING', 'SUCCEEDED'] as const;
export type ResultFileStatus = (typeof resultFileStatuses)[number];

export interface ResultFileEntry {
  Key: string;
  Size: number;
}

export interface ResultWriterManifest {
  DestinationBucket: string;
  MapRunArn: string;
  ResultFiles: Record<ResultFileStatus, ResultFileEntry[]>;
}

/** What the Map state outputs when it has a ResultWriter (the import's `$.processed`). */
export interface ResultWriterOutput {
  MapRunArn: string;
  ResultWriterDetails: { Bucket: string; Key: string };
}

export type ChildExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One child execution as a results file lists it: Input and Output are JSON text. */
export interface ChildExecutionRecord {
  ExecutionArn: string;
  Input: string;
  InputDetails: { Included: boolean };
  Name: string;
  RedriveCount: number;
  StartDate: string;
  StateMachineArn: string;
  Status: ChildExecutionStatus;
  StopDate: string;
  RedriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  RedriveStatusReason?: string;
  /** Succeeded children. */
  Output?: string;
  OutputDetails?: { Included: boolean };
  /** Failed, aborted or timed-out children. */
  Error?: string;
  Cause?: string;
}

/** A child execution that ended, in the terms of whoever ran it. */
export interface EndedChildExecution {
  executionArn: string;
  name: string;
  input: unknown;
  startDate: string;
  stopDate: string;
  status: ChildExecutionStatus;
  output?: unknown;
  error?: { Error: string; Cause: string };
}

export function childExecutionRecord(child: EndedChildExecution, stateMachineArn: string): ChildExecutionRecord {
  const common = {
    ExecutionArn: child.executionArn,
    Input: JSON.stringify(child.input),
    InputDetails: { Included: true },
    Name: child.name,
    RedriveCount: 0,
    StartDate: child.startDate,
    StateMachineArn: stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate,
  };
  if (child.status === 'SUCCEEDED') {
    return {
      ...common,
      Output: JSON.stringify(child.output),
      OutputDetails: { Included: true },
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    };
  }
  return { ...common, Error: child.error?.Error, Cause: child.error?.Cause, RedriveStatus: 'REDRIVABLE' };
}

/** `<Prefix>/<map run id>`, the folder of one Map Run's results. */
export function resultWriterFolder(prefix: string | undefined, mapRunId: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${mapRunId}` : mapRunId;
}

export interface ResultWriterFile {
  key: string;
  body: string;
}

/**
 * The files of one Map Run's results, in the order to write them (the manifest last, so a reader
 * that finds it finds every file it lists), and the Map's output. Succeeded children go to
 * SUCCEEDED_0.json, every other one (failed, aborted, timed out) to FAILED_0.json.
 */
export function resultWriterFiles(options: {
  bucket: string;
  folder: string;
  mapRunArn: string;
  records: readonly ChildExecutionRecord[];
}): { files: ResultWriterFile[]; output: ResultWriterOutput } {
  const { bucket, folder, mapRunArn, records } = options;
  const resultFiles: ResultWriterManifest['ResultFiles'] = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  const files: ResultWriterFile[] = [];
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const entries = records.filter((record) => (record.Status === 'SUCCEEDED') === (status === 'SUCCEEDED'));
    if (entries.length === 0) continue;
    const key = `${folder}/${status}_0.json`;
    const body = JSON.stringify(entries);
    files.push({ key, body });
    resultFiles[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${folder}/manifest.json`;
  const manifest: ResultWriterManifest = { DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: resultFiles };
  files.push({ key: manifestKey, body: JSON.stringify(manifest) });
  return { files, output: { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } } };
}
