// The API's response shapes, taken from the server's own types (type-only: nothing of core is
// bundled into the page).

export type { ImportJob, JobFailure } from '@threadline/core/importWorkflow/job/importJob';
export type { ImportJobSummary } from '@threadline/core/importWorkflow/job/jobListing';
export type { ConversationSummary, StoredConversation } from '@threadline/core/archive/conversationItems';
export type { NormalizedMessage } from '@threadline/core/conversation/normalizedConversation';
export type { TimelineStep } from '@threadline/core/httpApi/executionTimeline';
export type { FailureReport } from '@threadline/core/importWorkflow/job/failureReport';
export type { MonthActivity } from '@threadline/core/httpApi/activityRoute';
export type { RetryOutcome as RetriedImport } from '@threadline/core/importWorkflow/steps/retryImport';
export type { SearchHit, SearchResult } from '@threadline/core/search/searchArchive';

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface CreatedImport {
  importId: string;
  /** A presigned POST, or null when the export goes up in parts (`multipart`, above 5 GB). */
  upload: { url: string; fields: Record<string, string> } | null;
  multipart: import('@threadline/core/importWorkflow/upload/multipartUpload').MultipartUploadPlan | null;
}

export interface ExecutionView {
  executionArn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  error: string | null;
  cause: string | null;
  consoleUrl: string | null;
  mapProgress: { done: number; total: number };
  steps: import('@threadline/core/httpApi/executionTimeline').TimelineStep[];
  truncated: boolean;
}

export interface Me {
  userId: string;
  local: boolean;
}
