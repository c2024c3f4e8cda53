// Checks that a Lambda-backed step's successful output is the one it promises, in the ASL itself
// (a Choice after the Task), so AWS and the local engine fail the step alike. The case it exists
// for: under `sst dev` with no dev session, SST's stand-in Lambda RETURNS
// `{"statusCode":"500","body":"sst dev is not running (worker: …)"}` (SST's
// platform/functions/bridge/bridge.go posts it as the invocation's response), so Step Functions
// sees a success and Retry/Catch never fire. The check routes such an output to the failure path
// a thrown error takes, as StepOutputInvalid with the cause "the dev session is not running".
// Plain JSONPath (IsPresent, IsString, IsNumeric, StringMatches): no JSONata, no Assign.

import type { SplitOutput } from './importWorkflowState';
import type { AcquireLockOutput } from './steps/acquireLock';
import type { FinalizeOutput } from './steps/finalizeImport';
import type { ProcessChunkOutput } from './steps/processChunk';
import { workflowErrorNames } from './workflowErrors';

type OutputFieldType = 'string' | 'number';

/**
 * The fields each Lambda-backed step promises in its output, checked by the Choice after it.
 * Typed against the steps' output types, so a renamed field breaks the build, not the workflow.
 * MarkFailed is not checked: its output is never read and Failed follows it either way.
 */
export const stepOutputFields = {
  acquireLock: { importId: 'string', leaseUntil: 'string' } satisfies Partial<Record<keyof AcquireLockOutput, OutputFieldType>>,
  split: { chunks: 'number', manifestKey: 'string' } satisfies Partial<Record<keyof SplitOutput, OutputFieldType>>,
  processChunk: { chunk: 'number', conversations: 'number', failed: 'number', recorded: 'string' } satisfies Partial<
    Record<keyof ProcessChunkOutput, OutputFieldType>
  >,
  finalize: { status: 'string', failedChunks: 'number' } satisfies Partial<Record<keyof FinalizeOutput, OutputFieldType>>,
} as const;

/** The start of the body SST's stand-in returns when no `sst dev` session answers. */
export const sstDevStandInBody = 'sst dev is not running';

/** The cause a step's job shows when `sst dev`'s stand-in answered for it. */
export function devSessionDownCause(stepName: string): string {
  return `${stepName}: the dev session is not running (sst dev's stand-in answered for the function); start \`sst dev\` and import the export again.`;
}

function outputMatches(resultPath: string, fields: Record<string, OutputFieldType>) {
  return {
    And: Object.entries(fields).flatMap(([field, type]) => [
      // IsPresent first: a type test on a missing field is a runtime error, and And stops at the first false.
      { Variable: `${resultPath}.${field}`, IsPresent: true },
      { Variable: `${resultPath}.${field}`, ...(type === 'string' ? { IsString: true } : { IsNumeric: true }) },
    ]),
  };
}

function isSstDevStandIn(resultPath: string) {
  return {
    And: [
      { Variable: `${resultPath}.statusCode`, IsPresent: true },
      { Variable: `${resultPath}.body`, IsPresent: true },
      { Variable: `${resultPath}.body`, IsString: true },
      { Variable: `${resultPath}.body`, StringMatches: `${sstDevStandInBody}*` },
    ],
  };
}

export interface OutputCheck {
  /** The Task state whose output is checked. */
  step: string;
  /** The Choice, and the states of its two failures. */
  names: { check: string; devSessionDown: string; invalid: string };
  /** Where the Task put its result. */
  resultPath: string;
  fields: Record<string, OutputFieldType>;
  /** Where a good output goes on. */
  next: string;
  /**
   * A wrong output: Pass states that put `{ Error, Cause }` in $.error and go where a Catch
   * would (`{ next }`), or, where there is no Catch (a Map child), Fail states (`'fail'`).
   */
  onFailure: { next: string } | 'fail';
}

/** The Choice after a Task and the two failures it routes to, as ASL states by name. */
export function outputCheckStates(check: OutputCheck): Record<string, unknown> {
  const { step: stepName, names, resultPath, fields, next, onFailure: failure } = check;
  const invalidCause = `${stepName} returned successfully without the output it promises (${Object.entries(fields)
    .map(([field, type]) => `${field}: ${type}`)
    .join(', ')}); is the deployed function the one this workflow expects?`;
  const failWith = (cause: string) =>
    failure === 'fail'
      ? { Type: 'Fail', Error: workflowErrorNames.stepOutputInvalid, Cause: cause }
      : { Type: 'Pass', Result: { Error: workflowErrorNames.stepOutputInvalid, Cause: cause }, ResultPath: '$.error', Next: failure.next };
  return {
    [names.check]: {
      Type: 'Choice',
      Choices: [
        { ...outputMatches(resultPath, fields), Next: next },
        { ...isSstDevStandIn(resultPath), Next: names.devSessionDown },
      ],
      Default: names.invalid,
    },
    [names.devSessionDown]: failWith(devSessionDownCause(stepName)),
    [names.invalid]: failWith(invalidCause),
  };
}
