// The text of an error a Catch hands over (`{ Error, Cause }`), as one line a user can read.

import { jobErrorText } from '../job/jobErrorText';
import { userFacingWorkflowErrors } from '../workflowErrors';
import type { CaughtError } from '../importWorkflowState';

/** Lambda's Cause is JSON (`{"errorType","errorMessage","trace"}`); the local engine's is the message. */
export function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown } | null;
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the message as is
  }
  return cause;
}

/** One line, at most the job's error length (500 characters). */
export function caughtErrorText(error: CaughtError | undefined): string {
  const name = error?.Error?.trim() || 'Error';
  const message = causeMessage(error?.Cause ?? '').replace(/\s+/g, ' ').trim();
  if (!message) return jobErrorText(name);
  // A user-facing error's message is written for the user; any other error keeps its name
  // (States.Timeout, TypeError, …): that is what support searches for.
  return jobErrorText(userFacingWorkflowErrors.has(name) ? message : `${name}: ${message}`);
}
