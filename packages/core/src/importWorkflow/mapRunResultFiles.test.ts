import { describe, expect, it } from 'vitest';
import { childExecutionRecord, resultWriterFiles, resultWriterFolder, type ChildExecutionRecord, type ResultWriterManifest } from './mapRunResultFiles';

const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:imports';
const child = (index: number) => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:imports/ProcessChunks:run-${index}`,
  name: `run-${index}`,
  input: { chunkIndex: index, title: 'naïve café' },
  startDate: '2026-12-01T10:00:00.000Z',
  stopDate: '2026-12-01T10:00:01.000Z',
});

describe('the ResultWriter files', () => {
  it('lists succeeded children in SUCCEEDED_0.json, every other one in FAILED_0.json, and writes the manifest last', () => {
    const records = [
      childExecutionRecord({ ...child(0), status: 'SUCCEEDED', output: { conversations: 4 } }, stateMachineArn),
      childExecutionRecord({ ...child(1), status: 'FAILED', error: { Error: 'StepOutputInvalid', Cause: 'ProcessChunk: the dev session is not running' } }, stateMachineArn),
      childExecutionRecord({ ...child(2), status: 'ABORTED' }, stateMachineArn),
    ];
    const folder = resultWriterFolder('work/map-runs/', 'abc');
    expect(folder).toBe('work/map-runs/abc');
    const { files, output } = resultWriterFiles({ bucket: 'b', folder, mapRunArn: 'arn:map-run', records });
    expect(files.map((file) => file.key)).toEqual(['work/map-runs/abc/SUCCEEDED_0.json', 'work/map-runs/abc/FAILED_0.json', 'work/map-runs/abc/manifest.json']);
    expect(output).toEqual({ MapRunArn: 'arn:map-run', ResultWriterDetails: { Bucket: 'b', Key: 'work/map-runs/abc/manifest.json' } });

    const manifest = JSON.parse(files[2]!.body) as ResultWriterManifest;
    expect(manifest).toEqual({
      DestinationBucket: 'b',
      MapRunArn: 'arn:map-run',
      ResultFiles: {
        SUCCEEDED: [{ Key: files[0]!.key, Size: Buffer.byteLength(files[0]!.body) }],
        FAILED: [{ Key: files[1]!.key, Size: Buffer.byteLength(files[1]!.body) }],
        PENDING: [],
      },
    });
    const [succeeded] = JSON.parse(files[0]!.body) as ChildExecutionRecord[];
    expect(succeeded).toMatchObject({ Status: 'SUCCEEDED', RedriveStatus: 'NOT_REDRIVABLE', StateMachineArn: stateMachineArn });
    expect(JSON.parse(succeeded!.Output!)).toEqual({ conversations: 4 });
    expect(JSON.parse(succeeded!.Input)).toEqual(child(0).input);
    const failed = JSON.parse(files[1]!.body) as ChildExecutionRecord[];
    expect(failed.map((record) => [record.Status, record.Error, record.Output])).toEqual([
      ['FAILED', 'StepOutputInvalid', undefined],
      ['ABORTED', undefined, undefined],
    ]);
  });

  it('writes only the manifest when the run had no children', () => {
    const { files } = resultWriterFiles({ bucket: 'b', folder: resultWriterFolder(undefined, 'run'), mapRunArn: 'arn:map-run', records: [] });
    expect(files.map((file) => file.key)).toEqual(['run/manifest.json']);
  });
});
