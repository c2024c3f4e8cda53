// How the import workflow runs wherever it runs (AWS and the local system): the Map's settings
// and the EventBridge pattern that sends its ended executions to the reconcile step.

import { objectKeys } from '../archive/objectKeys';
import { executionStatusChangeDetailType, executionStatusChangeSource } from './executionStatusChangeEvent';

/**
 * How the deployed workflow runs. MaxConcurrency 20: 20 chunk writers stay well under a new
 * on-demand table's ~4,000 writes/s.
 */
export const workflowSettings = {
  maxConcurrency: 20,
  // A chunk that still fails after its retries is counted by Finalize, which turns the import
  // PARTIAL and lists it: the other chunks' data is real and reported. Only when most chunks fail
  // is the cause systemic (a bad deploy, a missing table), and the Map stops early.
  toleratedFailurePercentage: 50,
  resultsPrefix: objectKeys.mapRunsPrefix,
} as const;

/**
 * The EventBridge pattern (default bus) of the reconcile function: this state machine's own
 * executions ending without success. Distributed Map children run under another state machine ARN
 * (`…/<map run>`), so they never match; a chunk failing is the Map's business.
 */
export function executionStatusChangePattern(workflowArn: string) {
  return {
    source: [executionStatusChangeSource],
    'detail-type': [executionStatusChangeDetailType],
    detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [workflowArn] },
  };
}
