// A local Distributed Map's results: with a ResultWriter, the files AWS writes (the format is
// core's, importWorkflow/mapRunResultFiles.ts, which Finalize reads); without one, the array of
// child outputs in item order (a failed, tolerated child contributes its full record, as on AWS).

import { childExecutionRecord, resultWriterFiles, resultWriterFolder, type EndedChildExecution } from '@threadline/core/importWorkflow/mapRunResultFiles';
import type { StateDefinition } from './definitionWalk';
import { NamedError, errorInfo } from './namedError';
import { evaluatePayloadTemplate, type ContextObject } from './payloadTemplate';

/** One ended child execution, as the run loop records it. */
export interface ChildRecord extends EndedChildExecution {
  index: number;
  itemCount: number;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
}

export interface MapRunResults {
  state: StateDefinition;
  input: unknown;
  context: ContextObject;
  mapRunArn: string;
  /** Every child, in item order. */
  records: readonly ChildRecord[];
  writeObject(bucket: string, key: string, body: string): Promise<void>;
}

/** The Map state's output: ResultWriter's `{ MapRunArn, ResultWriterDetails }`, or the children's outputs. */
export async function mapRunOutput(results: MapRunResults): Promise<unknown> {
  const { state, records, mapRunArn } = results;
  const stateMachineArn = mapRunArn.replace(':mapRun:', ':stateMachine:').replace(/:[^:]*$/, '');
  if (!state.ResultWriter) {
    return records.map((record) => (record.status === 'SUCCEEDED' ? record.output : childExecutionRecord(record, stateMachineArn)));
  }
  const writer = state.ResultWriter as { Parameters?: unknown };
  const { Bucket, Prefix } = (await evaluatePayloadTemplate(writer.Parameters ?? {}, results.input, results.context)) as { Bucket: string; Prefix?: string };
  const mapRunId = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
  const folder = resultWriterFolder(Prefix, mapRunId);
  const { files, output } = resultWriterFiles({
    bucket: Bucket,
    folder,
    mapRunArn,
    records: records.map((record) => childExecutionRecord(record, stateMachineArn)),
  });
  try {
    for (const file of files) await results.writeObject(Bucket, file.key, file.body);
  } catch (error) {
    throw new NamedError('States.ResultWriterFailed', `Cannot write Map Run results to s3://${Bucket}/${folder}/: ${errorInfo(error).Cause}`);
  }
  return output;
}
