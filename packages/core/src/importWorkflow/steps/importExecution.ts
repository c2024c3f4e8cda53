// The import's workflow execution as Step Functions reports it (on AWS, or the local endpoint
// through AWS_ENDPOINT_URL_SFN): an execution the engine does not know is UNKNOWN, not an error.

import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ObservedExecution, ObservedExecutionStatus } from '../job/executionInterruption';

export interface DescribedExecution extends ObservedExecution {
  /** DescribeExecution's redriveStatus is REDRIVABLE: RedriveExecution would resume it. */
  redrivable: boolean;
  redriveStatusReason: string | null;
}

export async function describeImportExecution(sfn: Pick<SFNClient, 'send'>, executionArn: string): Promise<DescribedExecution> {
  try {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: (execution.status ?? 'UNKNOWN') as ObservedExecutionStatus,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      redrivable: execution.redriveStatus === 'REDRIVABLE',
      redriveStatusReason: execution.redriveStatusReason ?? null,
    };
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionDoesNotExist') throw error;
    return { status: 'UNKNOWN', redrivable: false, redriveStatusReason: 'no such execution' };
  }
}
