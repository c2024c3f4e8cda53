// A local Distributed Map's items: read (ItemReader from S3 as JSON or JSONL, or ItemsPath),
// selected (ItemSelector) and batched (ItemBatcher) into the inputs of its child executions.
// See distributedMap.ts for what is supported.

import type { StateDefinition } from './definitionWalk';
import { NamedError, errorInfo } from './namedError';
import { evaluatePath, evaluatePayloadTemplate, type ContextObject } from './payloadTemplate';

/** The Map Run's items: from the ItemReader's S3 object, or from ItemsPath of the state's input. */
export async function readItems(
  state: StateDefinition,
  input: unknown,
  context: ContextObject,
  readObject: (bucket: string, key: string) => Promise<string>,
): Promise<unknown[]> {
  const reader = state.ItemReader as
    | { Parameters?: unknown; ReaderConfig: { InputType: 'JSON' | 'JSONL'; MaxItems?: number; MaxItemsPath?: string } }
    | undefined;
  if (!reader) {
    const items = await evaluatePath((state.ItemsPath as string | undefined) ?? '$', input, context);
    if (!Array.isArray(items)) throw new NamedError('States.Runtime', 'ItemsPath must point to an array');
    return items;
  }
  const { Bucket, Key } = (await evaluatePayloadTemplate(reader.Parameters, input, context)) as { Bucket: string; Key: string };
  let items: unknown[];
  try {
    const body = stripBom(await readObject(Bucket, Key));
    items = reader.ReaderConfig.InputType === 'JSON' ? parseJsonArray(body) : parseJsonLines(body);
  } catch (error) {
    throw new NamedError('States.ItemReaderFailed', `Cannot read items from s3://${Bucket}/${Key}: ${errorInfo(error).Cause}`);
  }
  const maxItems = reader.ReaderConfig.MaxItemsPath
    ? ((await evaluatePath(reader.ReaderConfig.MaxItemsPath, input, context)) as number)
    : reader.ReaderConfig.MaxItems;
  return maxItems && maxItems > 0 ? items.slice(0, maxItems) : items;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJsonArray(body: string): unknown[] {
  const parsed: unknown = JSON.parse(body);
  if (!Array.isArray(parsed)) throw new Error('the JSON object is not an array');
  return parsed;
}

function parseJsonLines(body: string): unknown[] {
  const items: unknown[] = [];
  body.split('\n').forEach((line, lineIndex) => {
    if (line.trim() === '') return;
    try {
      items.push(JSON.parse(line));
    } catch {
      throw new Error(`line ${lineIndex + 1} is not JSON`);
    }
  });
  return items;
}

/** ItemSelector (or legacy Parameters) per item, with `$$.Map.Item.Index` / `.Value` in the context. */
export async function selectItems(state: StateDefinition, items: unknown[], input: unknown, context: ContextObject): Promise<unknown[]> {
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return items;
  const selected: unknown[] = [];
  for (const [index, value] of items.entries()) {
    selected.push(await evaluatePayloadTemplate(selector, input, { ...context, Map: { Item: { Index: index, Value: value } } }));
  }
  return selected;
}

/** What one child execution receives, and how many items it stands for. */
export interface ChildInput {
  input: unknown;
  itemCount: number;
}

/** ItemBatcher: at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes per child. */
export async function batchItems(state: StateDefinition, items: unknown[], input: unknown, context: ContextObject): Promise<ChildInput[]> {
  const batcher = state.ItemBatcher as
    | { MaxItemsPerBatch?: number; MaxItemsPerBatchPath?: string; MaxInputBytesPerBatch?: number; MaxInputBytesPerBatchPath?: string; BatchInput?: unknown }
    | undefined;
  if (!batcher) return items.map((item) => ({ input: item, itemCount: 1 }));
  const maxItems =
    (batcher.MaxItemsPerBatchPath ? ((await evaluatePath(batcher.MaxItemsPerBatchPath, input, context)) as number) : batcher.MaxItemsPerBatch) ||
    Infinity;
  const maxBytes =
    (batcher.MaxInputBytesPerBatchPath
      ? ((await evaluatePath(batcher.MaxInputBytesPerBatchPath, input, context)) as number)
      : batcher.MaxInputBytesPerBatch) || Infinity;
  const batchInput = batcher.BatchInput === undefined ? undefined : await evaluatePayloadTemplate(batcher.BatchInput, input, context);

  const batches: unknown[][] = [];
  let current: unknown[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxItems || currentBytes + bytes > maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches.map((batch) => ({
    input: batchInput === undefined ? { Items: batch } : { BatchInput: batchInput, Items: batch },
    itemCount: batch.length,
  }));
}
