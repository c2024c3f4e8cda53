// The HTTP API's own request and response shapes, free of API Gateway: the Lambda handler and
// the local server both translate to and from these, so the routes never know where they run.

import type { ArchiveResources } from '../aws/archiveResources';
import type { AwsClients } from '../aws/awsClients';
import type { ImportContext } from '../importWorkflow/importContext';
import type { UploadLimits } from '../importWorkflow/upload/multipartUpload';
import type { SearchCache } from '../search/searchCache';

export interface ApiRequest {
  method: string;
  /** Without query string, e.g. `/imports/abc`. */
  path: string;
  query: Record<string, string | undefined>;
  /** The raw body text, or null when there is none. */
  body: string | null;
  /** Who is asking: from verified JWT claims on AWS, the configured local identity locally. */
  user: RequestUser;
}

export interface RequestUser {
  userId: string;
  /** True when the identity is the local server's configured one (no sign-in). */
  local: boolean;
}

export interface ApiResponse {
  statusCode: number;
  body: unknown;
}

export interface ApiContext {
  clients: AwsClients;
  /** Lazy on AWS: fields read SST's `Resource` on first use. */
  resources: ArchiveResources;
  /** The import workflow's state machine ARN (its read-only link on AWS); null when this deployment cannot see executions. */
  workflowArn: () => string | null;
  region: string;
  now?: () => Date;
  /** When uploads switch to multipart (default: above S3's 5 GB POST limit; the local system lowers it for tests). */
  uploadLimits?: UploadLimits;
  /** Who requests without verified claims are (the local server, no sign-in); never set on AWS. */
  localUser?: string;
  /** Where use-cases the routes run (a retry) report what they decided. */
  log?: ImportContext['log'];
  /** Kept for the life of the process (a warm Lambda container, the local server): see searchCache.ts. */
  searchCache?: SearchCache;
}

/** A route's handler: the path's named segments are passed in `params`. */
export type RouteHandler = (ctx: ApiContext, request: ApiRequest, params: Record<string, string>) => Promise<ApiResponse>;
