// Every error name the import workflow's definition matches on or produces, defined once: the
// ASL (importStateMachine.ts) matches these, the handlers' errors take their `name` from here,
// and MarkFailed reads them back. Step Functions and the local engine match by NAME only; the
// Cause text differs between Lambda and local runs.

/** Names our own code throws (or the definition's Pass states set) for the workflow to act on. */
export const workflowErrorNames = {
  /** Another import of the user holds the lock: AcquireLock is retried, then gives up. */
  lockBusy: 'ImportLockBusy',
  /** DynamoDB throttled a chunk past the store's backoff: the chunk is retried with longer waits. */
  storeThrottled: 'StoreThrottled',
  /** Split found no conversation (set by the NoConversations state). */
  noConversations: 'NoConversationsFound',
  /** The upload cannot be read as a ChatGPT export (Split). */
  unreadableExport: 'UnreadableExport',
  /** A step returned successfully but not the output it promises (e.g. `sst dev`'s stand-in). */
  stepOutputInvalid: 'StepOutputInvalid',
} as const;

export type WorkflowErrorName = (typeof workflowErrorNames)[keyof typeof workflowErrorNames];

/** Errors whose message is written for the user: a job shows it without the name. */
export const userFacingWorkflowErrors: ReadonlySet<string> = new Set<string>([
  workflowErrorNames.lockBusy,
  workflowErrorNames.noConversations,
  workflowErrorNames.unreadableExport,
  workflowErrorNames.stepOutputInvalid,
]);

/** AWS's transient Lambda service faults (AWS's recommended retrier for Lambda-backed Tasks). */
export const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Step Functions' own error names the definition matches on. */
export const statesErrorNames = {
  all: 'States.ALL',
  timeout: 'States.Timeout',
} as const;
