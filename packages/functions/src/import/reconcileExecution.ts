import type { EventBridgeEvent } from 'aws-lambda';
import { reconcileExecutionStatusChange } from '@threadline/core/importWorkflow/steps/executionStatusChange';
import type { ExecutionStatusChangeDetail } from '@threadline/core/importWorkflow/executionStatusChangeEvent';
import { linkedImportContext } from './linkedImportContext';

/**
 * EventBridge: an import execution ended ABORTED, TIMED_OUT or FAILED → its job FAILED with the
 * reason, its lock released. The workflow's ARN comes as env (the function may not start it).
 */
export async function handler(event: EventBridgeEvent<string, ExecutionStatusChangeDetail>) {
  const workflowArn = process.env.THREADLINE_WORKFLOW_ARN;
  if (!workflowArn) throw new Error('THREADLINE_WORKFLOW_ARN is not set');
  return reconcileExecutionStatusChange(linkedImportContext(), event, { workflowArn });
}
