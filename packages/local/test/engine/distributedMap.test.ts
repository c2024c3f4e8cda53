import { describe, expect, it } from 'vitest';
import type { MachineDefinition, StateDefinition } from '../../src/engine/definitionWalk';
import { runDistributedMap, type ChildExecutionRequest, type MapRunProgress } from '../../src/engine/distributedMap';
import { runStateMachine } from '../../src/engine/localStateMachine';
import { NamedError } from '../../src/engine/namedError';
import { MemoryObjectStore } from './memoryObjectStore';

// AWS facts these tests hold the adapter to (Step Functions developer guide: ItemReader,
// ItemSelector, ItemBatcher, ResultWriter, "Setting failure thresholds for Distributed Map"):
// - JSONL reader: one JSON value per line of the S3 object; JSON reader: one array.
// - ItemSelector sees the Map's input as `$` and the item as `$$.Map.Item.Value` (index: `.Index`).
// - ItemBatcher: each child gets `{ "Items": [...] }` (+ `"BatchInput"` when set).
// - MaxConcurrency: never more child executions in flight.
// - Tolerated failures: the run fails with States.ExceedToleratedFailureThreshold when the
//   failed share EXCEEDS the threshold; at the threshold it succeeds.
// - ResultWriter: `<Prefix>/<map run id>/manifest.json` + SUCCEEDED_0.json / FAILED_0.json, each
//   an array of child records with Input/Output as JSON strings and Status; the Map outputs
//   `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.

const mapRunArn = 'arn:aws:states:us-east-1:000000000000:mapRun:toy/Process:3f1c2a9e-0000-4000-8000-000000000001';
const mapRunId = '3f1c2a9e-0000-4000-8000-000000000001';
const processor = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } },
};

function mapState(fields: Record<string, unknown>): StateDefinition {
  return { Type: 'Map', ItemProcessor: processor, End: true, ...fields } as StateDefinition;
}

// A fake child runner: `work` decides each child's fate; measures the peak of children in flight.
function children(work: (input: unknown, index: number) => Promise<unknown>) {
  const started: ChildExecutionRequest[] = [];
  let inFlight = 0;
  const stats = { maxInFlight: 0, started };
  const startChild = (request: ChildExecutionRequest) => {
    started.push(request);
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const result = work(request.input, request.index).finally(() => inFlight--);
    return { result, abort: () => undefined };
  };
  return { startChild, stats };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runMap(state: StateDefinition, store: MemoryObjectStore, work: (input: unknown, index: number) => Promise<unknown>, input: unknown = {}) {
  const { startChild, stats } = children(work);
  const progress: MapRunProgress[] = [];
  const output = runDistributedMap({
    stateName: 'Process',
    state,
    input,
    context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:toy:run-1', Name: 'run-1' } },
    mapRunArn,
    readObject: store.readObject,
    writeObject: store.writeObject,
    startChild,
    onProgress: (event) => progress.push(event),
  });
  return { output, stats, progress };
}

const jsonlReader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'b', 'Key.$': '$.manifestKey' } };

describe('runDistributedMap', () => {
  it('reads JSONL items from S3 and selects them with $ and $$.Map.Item context', async () => {
    const store = new MemoryObjectStore();
    await store.writeObject('b', 'work/i1/manifest.jsonl', '\uFEFF{"key":"c0"}\n{"key":"c1"}\n\n{"key":"c2"}\n');
    const state = mapState({
      ItemReader: jsonlReader,
      ItemSelector: { 'importId.$': '$.importId', 'index.$': '$$.Map.Item.Index', 'chunk.$': '$$.Map.Item.Value', 'exec.$': '$$.Execution.Name', fixed: 1 },
    });
    const { output } = await runMap(state, store, async (input) => input, { importId: 'i1', manifestKey: 'work/i1/manifest.jsonl' });
    expect(await output).toEqual([0, 1, 2].map((index) => ({ importId: 'i1', index, chunk: { key: `c${index}` }, exec: 'run-1', fixed: 1 })));
  });

  it('reads a JSON array, honours MaxItems, and reads ItemsPath without ItemReader', async () => {
    const store = new MemoryObjectStore();
    await store.writeObject('b', 'items.json', JSON.stringify([1, 2, 3, 4]));
    const fromS3 = mapState({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', MaxItems: 3 }, Parameters: { Bucket: 'b', Key: 'items.json' } } });
    expect(await (await runMap(fromS3, store, async (input) => input)).output).toEqual([1, 2, 3]);
    const fromInput = mapState({ ItemsPath: '$.list' });
    expect(await (await runMap(fromInput, store, async (input) => (input as number) * 10, { list: [1, 2] })).output).toEqual([10, 20]);
  });

  it('fails with States.ItemReaderFailed on a missing object or a bad line', async () => {
    const store = new MemoryObjectStore();
    const missing = await runMap(mapState({ ItemReader: jsonlReader }), store, async (input) => input, { manifestKey: 'nope' });
    await expect(missing.output).rejects.toMatchObject({ name: 'States.ItemReaderFailed' });
    await store.writeObject('b', 'bad.jsonl', '{"a":1}\n{oops\n');
    const bad = await runMap(mapState({ ItemReader: jsonlReader }), store, async (input) => input, { manifestKey: 'bad.jsonl' });
    await expect(bad.output).rejects.toMatchObject({ name: 'States.ItemReaderFailed', message: expect.stringContaining('line 2') });
  });

  it('batches items into { Items, BatchInput } by count and by bytes', async () => {
    const byCount = mapState({ ItemsPath: '$.items', ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'job.$': '$.job' } } });
    const result = await runMap(byCount, new MemoryObjectStore(), async (input) => input, { job: 'j', items: [1, 2, 3, 4, 5] });
    expect(await result.output).toEqual([
      { BatchInput: { job: 'j' }, Items: [1, 2] },
      { BatchInput: { job: 'j' }, Items: [3, 4] },
      { BatchInput: { job: 'j' }, Items: [5] },
    ]);
    const byBytes = mapState({ ItemsPath: '$', ItemBatcher: { MaxInputBytesPerBatch: 10 } });
    const strings = ['aaaa', 'bbbb', 'cccc']; // 6 bytes each as JSON
    expect(await (await runMap(byBytes, new MemoryObjectStore(), async (input) => input, strings)).output).toEqual(strings.map((s) => ({ Items: [s] })));
  });

  it('never runs more than MaxConcurrency children at once; 0 means the local cap', async () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const limited = await runMap(mapState({ ItemsPath: '$', MaxConcurrency: 3 }), new MemoryObjectStore(), async (input) => {
      await pause(2);
      return input;
    }, items);
    expect(await limited.output).toEqual(items);
    expect(limited.stats.maxInFlight).toBe(3);

    const unlimited = await runMap(mapState({ ItemsPath: '$', MaxConcurrency: 0 }), new MemoryObjectStore(), async () => pause(2), Array.from({ length: 60 }, (_, i) => i));
    await unlimited.output;
    expect(unlimited.stats.maxInFlight).toBe(40);
  });

  const failFirst = (failures: number) => async (input: unknown, index: number) => {
    if (index < failures) throw new NamedError('ChunkBroken', `item ${index} is broken`);
    return input;
  };

  it('tolerates failures up to ToleratedFailurePercentage and fails just above it', async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const state = mapState({ ItemsPath: '$', ToleratedFailurePercentage: 20, MaxConcurrency: 1 });
    const atThreshold = await runMap(state, new MemoryObjectStore(), failFirst(2), items);
    const output = (await atThreshold.output) as unknown[];
    expect(output.slice(2)).toEqual(items.slice(2));
    expect(output[0]).toMatchObject({ Status: 'FAILED', Error: 'ChunkBroken', Cause: 'item 0 is broken' });

    const above = await runMap(state, new MemoryObjectStore(), failFirst(3), items);
    await expect(above.output).rejects.toMatchObject({ name: 'States.ExceedToleratedFailureThreshold' });
    // It stops starting children once the threshold is exceeded.
    expect(above.stats.started.length).toBe(3);
  });

  it('tolerates failures up to ToleratedFailureCount, and none by default', async () => {
    const items = [0, 1, 2, 3];
    const counted = mapState({ ItemsPath: '$', ToleratedFailureCount: 1, MaxConcurrency: 1 });
    await expect((await runMap(counted, new MemoryObjectStore(), failFirst(1), items)).output).resolves.toHaveLength(4);
    await expect((await runMap(counted, new MemoryObjectStore(), failFirst(2), items)).output).rejects.toMatchObject({
      name: 'States.ExceedToleratedFailureThreshold',
    });
    const strict = mapState({ ItemsPath: '$' });
    await expect((await runMap(strict, new MemoryObjectStore(), failFirst(1), items)).output).rejects.toMatchObject({
      name: 'States.ExceedToleratedFailureThreshold',
    });
  });

  it('writes manifest.json, SUCCEEDED_0.json and FAILED_0.json under <Prefix>/<map run id>/ like AWS', async () => {
    const store = new MemoryObjectStore();
    const state = mapState({
      ItemsPath: '$',
      ToleratedFailureCount: 1,
      MaxConcurrency: 1,
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs/' } },
    });
    const { output, progress } = await runMap(state, store, failFirst(1), ['a', 'b', 'c']);
    const manifestKey = `runs/${mapRunId}/manifest.json`;
    expect(await output).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'results', Key: manifestKey } });
    expect(store.keys()).toEqual([`results/runs/${mapRunId}/FAILED_0.json`, `results/runs/${mapRunId}/SUCCEEDED_0.json`, `results/${manifestKey}`]);

    const manifest = store.json('results', manifestKey) as { DestinationBucket: string; MapRunArn: string; ResultFiles: Record<string, { Key: string; Size: number }[]> };
    expect(manifest).toMatchObject({ DestinationBucket: 'results', MapRunArn: mapRunArn });
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    expect(manifest.ResultFiles.SUCCEEDED).toEqual([{ Key: `runs/${mapRunId}/SUCCEEDED_0.json`, Size: store.objects.get(`results/runs/${mapRunId}/SUCCEEDED_0.json`)!.length }]);

    const succeeded = store.json('results', `runs/${mapRunId}/SUCCEEDED_0.json`) as Record<string, unknown>[];
    expect(succeeded).toHaveLength(2);
    for (const entry of succeeded) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining(['ExecutionArn', 'Input', 'InputDetails', 'Name', 'Output', 'OutputDetails', 'StartDate', 'StopDate', 'StateMachineArn', 'Status']),
      );
      expect(entry.Status).toBe('SUCCEEDED');
      expect(entry.Output).toBe(entry.Input); // JSON strings, the child echoed its input
    }
    expect(JSON.parse(succeeded[0].Input as string)).toBe('b');
    const failed = store.json('results', `runs/${mapRunId}/FAILED_0.json`) as Record<string, unknown>[];
    expect(failed).toEqual([expect.objectContaining({ Status: 'FAILED', Error: 'ChunkBroken', Cause: 'item 0 is broken', Input: '"a"' })]);
    expect(failed[0].Output).toBeUndefined();

    expect(progress.map((event) => event.type)).toEqual(['MapRunStarted', ...Array(3).fill(['MapItemStarted', expect.stringMatching(/^MapItem(Succeeded|Failed)$/)]).flat(), 'MapRunSucceeded']);
    expect(progress[0].details).toMatchObject({ itemCount: 3, stateName: 'Process', mapRunArn });
  });

  it('rejects what it does not implement instead of misrunning it', async () => {
    const csv = mapState({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV' }, Parameters: { Bucket: 'b', Key: 'k' } } });
    await expect((await runMap(csv, new MemoryObjectStore(), async (input) => input)).output).rejects.toMatchObject({ name: 'States.Runtime' });
  });
});

describe('a Distributed Map inside runStateMachine', () => {
  const toyDefinition = (extra: Record<string, unknown> = {}) => ({
    StartAt: 'Process',
    States: {
      Process: {
        Type: 'Map',
        ItemReader: jsonlReader,
        ItemSelector: { 'n.$': '$$.Map.Item.Value.n' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Double',
          States: { Double: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:double', TimeoutSeconds: 5, End: true } },
        },
        MaxConcurrency: 2,
        ResultPath: '$.doubled',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' }],
        Next: 'Done',
        ...extra,
      },
      Recover: { Type: 'Pass', Result: 'recovered', ResultPath: '$.recovery', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  });

  async function withManifest() {
    const store = new MemoryObjectStore();
    await store.writeObject('b', 'm.jsonl', [1, 2, 3].map((n) => JSON.stringify({ n })).join('\n'));
    return store;
  }

  it('runs each item as a child execution with the same task handlers and keeps ResultPath', async () => {
    const store = await withManifest();
    const execution = runStateMachine({
      definition: toyDefinition(),
      taskHandlers: { Double: async (event: { n: number }) => event.n * 2 },
      readObject: store.readObject,
      writeObject: store.writeObject,
      input: { manifestKey: 'm.jsonl' },
    });
    expect(await execution.result).toEqual({ manifestKey: 'm.jsonl', doubled: [2, 4, 6] });
    const types = execution.events.map((event) => event.type);
    expect(types).toContain('MapRunStarted');
    expect(types.filter((type) => type === 'MapItemSucceeded')).toHaveLength(3);
    const processEntered = execution.events.find((event) => event.type === 'StateEntered' && event.state?.name === 'Process');
    expect(processEntered?.state?.type).toBe('Map');
    // Children's state events are in the same log under their own execution ARN.
    const childTaskEvents = execution.events.filter((event) => event.state?.name === 'Double' && event.type === 'StateExited');
    expect(new Set(childTaskEvents.map((event) => event.executionArn)).size).toBe(3);
    expect(childTaskEvents.every((event) => event.executionArn !== execution.executionArn)).toBe(true);
  });

  it('propagates a run failure to the Map state Catch', async () => {
    const store = await withManifest();
    const execution = runStateMachine({
      definition: toyDefinition(),
      taskHandlers: {
        Double: async (event: { n: number }) => {
          if (event.n === 2) throw new NamedError('Broken', 'two is broken');
          return event.n * 2;
        },
      },
      readObject: store.readObject,
      writeObject: store.writeObject,
      input: { manifestKey: 'm.jsonl' },
    });
    expect(await execution.result).toMatchObject({
      error: { Error: 'States.ExceedToleratedFailureThreshold' },
      recovery: 'recovered',
    });
    expect(execution.events.some((event) => event.type === 'MapRunFailed')).toBe(true);
    expect(execution.events.some((event) => event.type === 'StateCaught' && event.state?.name === 'Process')).toBe(true);
  });
});
