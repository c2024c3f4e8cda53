// Locally, EventBridge's part: when an execution closes, the event AWS would put on the default
// bus, in its documented shape, and the deployed rule's pattern deciding whether the reconcile
// function receives it.

import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  executionStatusChangeDetailType,
  executionStatusChangeSource,
  type ExecutionStatusChangeDetail,
} from '@threadline/core/importWorkflow/executionStatusChangeEvent';
import type { Execution } from '../stepFunctions/executionRegistry';

export type ExecutionStatusChangeEnvelope = EventBridgeEvent<typeof executionStatusChangeDetailType, ExecutionStatusChangeDetail & Record<string, unknown>>;

export function executionStatusChangeEventOf(execution: Execution): ExecutionStatusChangeEnvelope {
  const [, , , region = 'us-east-1', account = '000000000000'] = execution.executionArn.split(':');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': executionStatusChangeDetailType,
    source: executionStatusChangeSource,
    account,
    // EventBridge's `time` has whole seconds.
    time: (execution.stopDate ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate?.getTime() ?? null,
      input: execution.input,
      output: execution.output ?? null,
      inputDetails: { included: true },
      outputDetails: execution.output === undefined ? null : { included: true },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      redriveCount: 0,
      redriveDate: null,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'the local engine cannot resume an execution where it stopped',
    },
  };
}

type Pattern = { [field: string]: readonly unknown[] | Pattern };

/** EventBridge matching for the pattern subset we deploy: every field listed, each value one of those allowed. */
export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([field, allowed]) => {
    const value = (event as Record<string, unknown>)[field];
    return Array.isArray(allowed) ? allowed.includes(value) : matchesEventPattern(allowed as Pattern, value);
  });
}
