// The event EventBridge sends when an execution of a state machine changes status (AWS's
// documented shape; the fields we read). Pure data: the deployment's rule pattern and the
// reconcile function share these names.

import type { ObservedExecutionStatus } from './job/executionInterruption';

/** The `detail` of a "Step Functions Execution Status Change" event (the fields we read). */
export interface ExecutionStatusChangeDetail {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ObservedExecutionStatus;
  startDate?: number;
  stopDate?: number | null;
  /** The execution input as a JSON string, when `inputDetails.included` (ours is a few hundred bytes). */
  input?: string | null;
  inputDetails?: { included: boolean } | null;
  error?: string | null;
  cause?: string | null;
}

/** The EventBridge envelope (aws-lambda's EventBridgeEvent fits). */
export interface ExecutionStatusChangeEvent {
  'detail-type': string;
  source: string;
  resources?: string[];
  detail: ExecutionStatusChangeDetail;
}

export const executionStatusChangeSource = 'aws.states';
export const executionStatusChangeDetailType = 'Step Functions Execution Status Change';
