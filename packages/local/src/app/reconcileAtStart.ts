// When the local system starts, imports the previous process left QUEUED or RUNNING can no longer
// finish: their executions died with it (the restored history says ABORTED) or never started.
// Each is finished FAILED with the reason and its lock released, so the next import starts at once.

import type { ImportContext } from '@threadline/core/importWorkflow/importContext';
import { reconcileImport, type ReconcileOutcome } from '@threadline/core/importWorkflow/steps/reconcileImport';
import { executionArnOf } from '@threadline/core/importWorkflow/executionArns';
import type { ObservedExecution } from '@threadline/core/importWorkflow/job/executionInterruption';
import { jobContextOf } from '@threadline/core/importWorkflow/importContext';
import { listUnfinishedJobs } from '@threadline/core/importWorkflow/job/jobListing';
import type { ExecutionRegistry } from '../stepFunctions/executionRegistry';

export async function reconcileUnfinishedImports(
  ctx: ImportContext,
  registry: ExecutionRegistry,
  workflowArn: string,
): Promise<(ReconcileOutcome & { importId: string })[]> {
  const outcomes: (ReconcileOutcome & { importId: string })[] = [];
  for (const job of await listUnfinishedJobs(jobContextOf(ctx))) {
    const outcome = await reconcileImport(ctx, job, observed(registry, executionArnOf(workflowArn, job.importId)));
    outcomes.push({ ...outcome, importId: job.importId });
  }
  return outcomes;
}

function observed(registry: ExecutionRegistry, executionArn: string): ObservedExecution {
  try {
    const { status, error, cause } = registry.describe(executionArn);
    return { status, error: error ?? null, cause: cause ?? null };
  } catch {
    return { status: 'UNKNOWN' };
  }
}
