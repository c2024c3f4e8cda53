// What each route answers with on success, defined once from the server's own types: every
// route checks its body against this (`satisfies`), and the web page reads the API through it
// (type-only, so nothing of core is bundled into the page). Errors are `ApiErrorBody`.

import type { ConversationSummary, StoredConversation } from '../archive/conversationItems';
import type { Page } from '../archive/pageCursor';
import type { NormalizedMessage } from '../conversation/normalizedConversation';
import type { ImportJob } from '../importWorkflow/job/importJob';
import type { FailureReport } from '../importWorkflow/job/failureReport';
import type { ImportJobSummary } from '../importWorkflow/job/jobListing';
import type { RetryOutcome } from '../importWorkflow/steps/retryImport';
import type { ImportUpload } from '../importWorkflow/upload/createImportUpload';
import type { SearchResult } from '../search/searchArchive';
import type { MonthActivity } from './activityRoute';
import type { ApiRoute } from './apiRoutes';
import type { RequestUser } from './apiTypes';
import type { LinkedAsset } from './assetUrls';
import type { TitleSearchPage } from './conversationTitleSearch';
import type { TimelineStep } from './executionTimeline';

export type { ConversationSummary, FailureReport, ImportJob, ImportJobSummary, MonthActivity, NormalizedMessage, Page, RetryOutcome, SearchResult, StoredConversation, TimelineStep };
export type { JobFailure } from '../importWorkflow/job/importJob';
export type { SearchHit } from '../search/searchArchive';

/** Every error response: 4xx with what to change, 5xx with no internals. */
export interface ApiErrorBody {
  error: string;
}

/** POST /imports: the QUEUED job and the one upload it admits (a presigned POST, or multipart above 5 GB). */
export type CreatedImport = Omit<ImportUpload, 'key'>;

export interface CompletedUpload {
  importId: string;
  completed: true;
}

/** GET /imports/{id}/execution: the import's workflow execution as a timeline. */
export interface ExecutionView {
  executionArn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  error: string | null;
  cause: string | null;
  /** The Step Functions console's page of the execution; null locally. */
  consoleUrl: string | null;
  /** A Distributed Map's items are the import's chunks. */
  mapProgress: { done: number; total: number };
  steps: TimelineStep[];
  /** History events read (bounded). */
  eventCount: number;
  /** True when the history was longer than what was read. */
  truncated: boolean;
}

/** GET /activity: conversations and messages per month, from a bounded read of the newest part. */
export interface Activity {
  months: MonthActivity[];
  /** Conversations without a create_time. */
  undated: number;
  scanned: number;
  truncated: boolean;
}

/** A message with each of its files, stored ones with a presigned URL. */
export type MessageWithLinks = NormalizedMessage & { assets: LinkedAsset[] };

export interface DeletedConversation {
  deleted: string;
  messagesDeleted: number;
  objectsDeleted: number;
  assetsDeleted: number;
}

/** Every route of apiRoutes must have its body here. */
type ForEveryRoute<Bodies extends Record<ApiRoute, unknown>> = Bodies;

/** The success body of every route. */
export type ApiResponseBodies = ForEveryRoute<{
  'GET /me': RequestUser;
  'POST /imports': CreatedImport;
  'POST /imports/{id}/complete': CompletedUpload;
  'GET /imports': Page<ImportJobSummary>;
  'GET /imports/{id}': ImportJob;
  'GET /imports/{id}/report': FailureReport;
  'GET /imports/{id}/execution': ExecutionView;
  'POST /imports/{id}/retry': RetryOutcome;
  'GET /activity': Activity;
  'GET /conversations': TitleSearchPage;
  'GET /conversations/{id}': StoredConversation;
  'GET /conversations/{id}/messages': Page<MessageWithLinks>;
  'DELETE /conversations/{id}': DeletedConversation;
  'GET /search': SearchResult;
}>;
