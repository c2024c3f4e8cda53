import type { MachineDefinition, StateDefinition } from './definitionWalk';
import type { ExecutionErrorInfo, ExecutionEventType, MapRunEventDetails } from './executionEvents';
import { batchItems, readItems, selectItems } from './distributedMapItems';
import { mapRunOutput, type ChildRecord } from './distributedMapResults';
import { NamedError, errorInfo } from './namedError';
import { evaluatePath, type ContextObject } from './payloadTemplate';

// Runs one Distributed Map state locally, as AWS Step Functions documents it. This file is the
// run loop (children under MaxConcurrency, the tolerance rules); the items are read, selected and
// batched in distributedMapItems.ts, the results written in distributedMapResults.ts.
//
// - ItemReader `arn:aws:states:::s3:getObject` with ReaderConfig.InputType JSON (the object
//   is a JSON array) or JSONL (one JSON value per line); Parameters Bucket/Key are a payload
//   template over the state's input; ReaderConfig.MaxItems caps the item count. A read or
//   parse failure is `States.ItemReaderFailed`. Without ItemReader, items come from ItemsPath
//   (default `$`) of the state's input.
// - ItemSelector (or legacy Parameters) is evaluated per item against the state's input, with
//   `$$.Map.Item.Index` / `$$.Map.Item.Value` in the context object.
// - ItemBatcher groups the (selected) items: at most MaxItemsPerBatch items and
//   MaxInputBytesPerBatch bytes per batch; each child receives `{ "Items": [...] }` plus
//   `"BatchInput": {...}` when BatchInput is set.
// - MaxConcurrency bounds child executions in flight; 0 or absent means "as many as AWS
//   allows" (10,000), which locally is capped (concurrencyCap, default 40).
// - ToleratedFailurePercentage / ToleratedFailureCount: the Map Run fails with
//   `States.ExceedToleratedFailureThreshold` as soon as failed items EXCEED the threshold
//   (reaching it is fine); with neither set, any failed item fails the run. A failed batch
//   counts all its items (assumption: AWS counts items, not child executions).
// - ResultWriter `arn:aws:states:::s3:putObject` with Parameters Bucket/Prefix writes (in the
//   format core defines once, importWorkflow/mapRunResultFiles.ts) `<Prefix>/<map run id>/manifest.json` listing `SUCCEEDED_0.json` / `FAILED_0.json`
//   (only non-empty files), each a JSON array of child execution records (ExecutionArn,
//   Input and Output as JSON strings, InputDetails/OutputDetails, Name, Status, StartDate,
//   StopDate, StateMachineArn, Redrive*; failed ones Error/Cause instead of Output). The Map's
//   output is then `{ MapRunArn, ResultWriterDetails: { Bucket, Key: <manifest key> } }`.
//   A failure to write is `States.ResultWriterFailed`. Results are written even when the run
//   fails on the threshold. Without ResultWriter the output is the array of child outputs in
//   item order (a failed, tolerated child contributes its full record, as on AWS).
// - ExecutionType EXPRESS children are cut at 5 minutes (`States.Timeout`), as on AWS.
// Not supported locally (fails loudly with States.Runtime): CSV/MANIFEST readers,
// listObjectsV2, WriterConfig, ItemsPointer.

export interface ChildExecution {
  /** Resolves with the child's output; rejects with an Error whose name is the AWS error name. */
  result: Promise<unknown>;
  abort(): void;
}

export interface ChildExecutionRequest {
  definition: MachineDefinition;
  input: unknown;
  name: string;
  executionArn: string;
  index: number;
}

export interface MapRunProgress {
  type: Extract<ExecutionEventType, `MapRun${string}` | `MapItem${string}`>;
  details: MapRunEventDetails;
  error?: ExecutionErrorInfo;
}

export interface DistributedMapRun {
  stateName: string;
  /** The DISTRIBUTED Map state, as written in the definition. */
  state: StateDefinition;
  /** The state's effective input (after InputPath). */
  input: unknown;
  /** The parent execution's context object ($$). */
  context: ContextObject;
  mapRunArn: string;
  readObject(bucket: string, key: string): Promise<string>;
  writeObject(bucket: string, key: string, body: string): Promise<void>;
  startChild(request: ChildExecutionRequest): ChildExecution;
  signal?: AbortSignal;
  concurrencyCap?: number;
  onProgress?: (progress: MapRunProgress) => void;
}

export const defaultConcurrencyCap = 40;
const expressChildLimitMs = 5 * 60 * 1000;

export async function runDistributedMap(run: DistributedMapRun): Promise<unknown> {
  const { state, input, context } = run;
  unsupported(state);
  const items = await readItems(state, input, context, run.readObject);
  const selected = await selectItems(state, items, input, context);
  const children = await batchItems(state, selected, input, context);
  const mapRunId = run.mapRunArn.slice(run.mapRunArn.lastIndexOf(':') + 1);
  const details = { mapRunArn: run.mapRunArn, stateName: run.stateName };
  const progress = (type: MapRunProgress['type'], extra: Partial<MapRunEventDetails> = {}, error?: ExecutionErrorInfo) =>
    run.onProgress?.({ type, details: { ...details, ...extra }, ...(error ? { error } : {}) });

  const totalItems = items.length;
  const thresholds = await toleratedFailures(state, input, context);
  const concurrency = await maxConcurrency(state, input, context, run.concurrencyCap ?? defaultConcurrencyCap);
  const processor = childDefinition(state);
  const express = (state.ItemProcessor as { ProcessorConfig?: { ExecutionType?: string } }).ProcessorConfig?.ExecutionType === 'EXPRESS';

  progress('MapRunStarted', { itemCount: children.length });
  const records: ChildRecord[] = [];
  const inFlight = new Set<ChildExecution>();
  let failedItems = 0;
  let succeeded = 0;
  let exceeded = false;
  let next = 0;

  const exceedsThreshold = () =>
    (thresholds.count !== undefined && failedItems > thresholds.count) ||
    (thresholds.percentage !== undefined && totalItems > 0 && (failedItems / totalItems) * 100 > thresholds.percentage);

  const abortInFlight = () => inFlight.forEach((child) => child.abort());
  run.signal?.addEventListener('abort', abortInFlight, { once: true });

  const runOne = async (index: number) => {
    const child = children[index];
    const name = `${mapRunId}-${index}`;
    const executionArn = childExecutionArn(run.mapRunArn, name);
    const startDate = new Date().toISOString();
    progress('MapItemStarted', { index, childExecutionArn: executionArn });
    const execution = run.startChild({ definition: processor, input: child.input, name, executionArn, index });
    inFlight.add(execution);
    let expressTimer: NodeJS.Timeout | undefined;
    const limited = express
      ? Promise.race([
          execution.result,
          new Promise<never>((_, reject) => {
            expressTimer = setTimeout(() => {
              execution.abort();
              reject(new NamedError('States.Timeout', 'Express child execution exceeded 5 minutes'));
            }, expressChildLimitMs);
          }),
        ])
      : execution.result;
    const base = { index, itemCount: child.itemCount, name, executionArn, input: child.input, startDate };
    try {
      const output = await limited;
      records.push({ ...base, stopDate: new Date().toISOString(), status: 'SUCCEEDED', output });
      succeeded++;
      progress('MapItemSucceeded', { index, childExecutionArn: executionArn, succeeded, failed: failedItems });
    } catch (error) {
      const info = errorInfo(error);
      const aborted = exceeded || run.signal?.aborted === true;
      records.push({ ...base, stopDate: new Date().toISOString(), status: aborted ? 'ABORTED' : 'FAILED', error: info });
      if (!aborted) failedItems += child.itemCount;
      progress('MapItemFailed', { index, childExecutionArn: executionArn, succeeded, failed: failedItems }, info);
      if (!exceeded && exceedsThreshold()) {
        exceeded = true;
        abortInFlight();
      }
    } finally {
      clearTimeout(expressTimer);
      inFlight.delete(execution);
    }
  };

  const worker = async () => {
    while (next < children.length && !exceeded && !run.signal?.aborted) await runOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, children.length) }, worker));
  } finally {
    run.signal?.removeEventListener('abort', abortInFlight);
  }
  if (run.signal?.aborted) throw new NamedError('States.Aborted', 'The execution was aborted');

  records.sort((a, b) => a.index - b.index);
  // Results are written even when the run fails on the threshold, as on AWS.
  const output = await mapRunOutput({ state, input, context, mapRunArn: run.mapRunArn, records, writeObject: run.writeObject });

  if (exceeded) {
    progress('MapRunFailed', { succeeded, failed: failedItems });
    throw new NamedError(
      'States.ExceedToleratedFailureThreshold',
      `The specified tolerated failure threshold was exceeded: ${failedItems} of ${totalItems} items failed`,
    );
  }
  progress('MapRunSucceeded', { succeeded, failed: failedItems });
  return output;
}

function unsupported(state: StateDefinition): void {
  const reader = state.ItemReader as { Resource?: string; ReaderConfig?: { InputType?: string } } | undefined;
  const problems: string[] = [];
  if (reader && reader.Resource !== 'arn:aws:states:::s3:getObject') problems.push(`ItemReader resource ${reader.Resource}`);
  const inputType = reader?.ReaderConfig?.InputType;
  if (reader && inputType !== 'JSON' && inputType !== 'JSONL') problems.push(`ItemReader InputType ${inputType}`);
  if (reader && 'ItemsPointer' in (reader.ReaderConfig ?? {})) problems.push('ItemsPointer');
  const writer = state.ResultWriter as { Resource?: string; WriterConfig?: unknown } | undefined;
  if (writer?.WriterConfig !== undefined) problems.push('ResultWriter WriterConfig');
  if (writer && writer.Resource !== 'arn:aws:states:::s3:putObject') problems.push(`ResultWriter resource ${writer.Resource}`);
  if (problems.length > 0) throw new NamedError('States.Runtime', `Not supported by the local Distributed Map: ${problems.join(', ')}`);
}

async function toleratedFailures(state: StateDefinition, input: unknown, context: ContextObject): Promise<{ count?: number; percentage?: number }> {
  const fromField = async (value: unknown, path: unknown) =>
    typeof path === 'string' ? ((await evaluatePath(path, input, context)) as number) : (value as number | undefined);
  const count = await fromField(state.ToleratedFailureCount, state.ToleratedFailureCountPath);
  const percentage = await fromField(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath);
  // Neither set: AWS's default tolerates no failure at all.
  if (count === undefined && percentage === undefined) return { count: 0 };
  return { count, percentage };
}

async function maxConcurrency(state: StateDefinition, input: unknown, context: ContextObject, cap: number): Promise<number> {
  const configured =
    typeof state.MaxConcurrencyPath === 'string'
      ? ((await evaluatePath(state.MaxConcurrencyPath, input, context)) as number)
      : (state.MaxConcurrency as number | undefined);
  return configured && configured > 0 ? Math.min(configured, cap) : cap;
}

function childDefinition(state: StateDefinition): MachineDefinition {
  // ProcessorConfig is the Map's business, not the child machine's.
  const { ProcessorConfig: _processorConfig, ...definition } = state.ItemProcessor as MachineDefinition & { ProcessorConfig?: unknown };
  return definition as MachineDefinition;
}

function childExecutionArn(mapRunArn: string, name: string): string {
  return mapRunArn.replace(':mapRun:', ':execution:').replace(/:[^:]*$/, `:${name}`);
}
