// On AWS, EventBridge reports each execution of the import workflow that ends ABORTED, TIMED_OUT
// or FAILED (deployment: infra/workflow.ts, pattern: infra/deploymentPlan). A stopped or timed-out
// execution never ran its Catch, so this finishes its import, within seconds, even if the user
// never imports again. A FAILED one normally went through MarkFailed already: then nothing changes.

import {
  executionStatusChangeDetailType,
  executionStatusChangeSource,
  type ExecutionStatusChangeDetail,
  type ExecutionStatusChangeEvent,
} from '../executionStatusChangeEvent';
import { logImport, type ImportContext } from '../importContext';
import type { ImportExecutionInput } from '../importWorkflowState';
import { reconcileImport, type ReconcileOutcome } from './reconcileImport';

export type StatusChangeOutcome = ReconcileOutcome | { outcome: 'ignored'; reason: string };

export async function reconcileExecutionStatusChange(
  ctx: ImportContext,
  event: ExecutionStatusChangeEvent,
  options: { workflowArn: string },
): Promise<StatusChangeOutcome> {
  const ignored = (reason: string): StatusChangeOutcome => {
    logImport(ctx, 'execution status change ignored', { reason, executionArn: event.detail?.executionArn });
    return { outcome: 'ignored', reason };
  };
  if (event.source !== executionStatusChangeSource || event['detail-type'] !== executionStatusChangeDetailType) {
    return ignored(`not a Step Functions status change (${event.source} / ${event['detail-type']})`);
  }
  const { detail } = event;
  // Distributed Map children run under `stateMachine:<name>/<map run>`: their chunks are the Map's business.
  if (detail.stateMachineArn !== options.workflowArn) return ignored(`another state machine: ${detail.stateMachineArn}`);
  const input = importOf(detail);
  if (!input) return ignored('the execution input names no import');
  if (input.importId !== detail.name) return ignored(`execution ${detail.name} is not named after its import ${input.importId}`);
  return reconcileImport(ctx, input, { status: detail.status, error: detail.error ?? null, cause: detail.cause ?? null });
}

function importOf(detail: ExecutionStatusChangeDetail): Pick<ImportExecutionInput, 'importId' | 'userId'> | null {
  if (typeof detail.input !== 'string') return null;
  try {
    const input = JSON.parse(detail.input) as Partial<ImportExecutionInput>;
    return typeof input.importId === 'string' && typeof input.userId === 'string' ? { importId: input.importId, userId: input.userId } : null;
  } catch {
    return null;
  }
}
