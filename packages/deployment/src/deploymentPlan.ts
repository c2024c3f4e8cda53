// What sst.config.ts deploys, as plain data: table definitions derived from the table schemas,
// the bucket's rules, each function's handler and size, the HTTP routes, and the workflow
// definition. infra/*.ts only turns this into SST/Pulumi resources, so everything that matters
// here is unit-tested without AWS or the SST CLI.

import { objectKeys } from '@threadline/core/archive/objectKeys';
import { linkNames } from '@threadline/core/aws/archiveResources';
import { tableSchemas, type TableSchema } from '@threadline/core/archive/tableSchemas';
import { workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';
import { importStateMachineDefinition, taskTimeoutSeconds, type ImportFunctionArns } from '@threadline/core/importWorkflow/importStateMachine';

// ---- DynamoDB ------------------------------------------------------------------------------

/** The arguments of `new sst.aws.Dynamo(schema.name, …)` (every key attribute is a string). */
export interface DynamoTablePlan {
  fields: Record<string, 'string'>;
  primaryIndex: { hashKey: string; rangeKey: string };
  globalIndexes: Record<string, { hashKey: string; rangeKey: string; projection: string[] }>;
  ttl?: string;
}

export function dynamoTablePlan(schema: TableSchema): DynamoTablePlan {
  const fields: Record<string, 'string'> = { [schema.partitionKey]: 'string', [schema.sortKey]: 'string' };
  const globalIndexes: DynamoTablePlan['globalIndexes'] = {};
  for (const index of schema.globalIndexes) {
    fields[index.partitionKey] = 'string';
    fields[index.sortKey] = 'string';
    globalIndexes[index.name] = { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: [...index.projectedAttributes] };
  }
  return {
    fields,
    primaryIndex: { hashKey: schema.partitionKey, rangeKey: schema.sortKey },
    globalIndexes,
    ...(schema.ttlAttribute ? { ttl: schema.ttlAttribute } : {}),
  };
}

export const tablePlans = tableSchemas.map((schema) => ({ name: schema.name, ...dynamoTablePlan(schema) }));

// ---- S3 ------------------------------------------------------------------------------------

export const bucketLinkName = linkNames.bucket;

/** Uploads and work files are transient; reports and offloaded fields (archive/) are kept. */
export const bucketLifecycle = [
  { id: 'expire-uploads', prefix: objectKeys.uploadPrefix, expiresIn: '7 days' },
  { id: 'expire-work-files', prefix: objectKeys.workArea, expiresIn: '2 days' },
] as const satisfies readonly { id: string; prefix: string; expiresIn: `${number} days` }[];

/**
 * The bucket's one CORS rule (aws.s3.BucketCorsConfiguration shape): the web page uploads with a
 * presigned POST (PUT for presigned-URL clients) and reads nothing else from S3 directly.
 * Generic so sst.config.ts can pass origins as Pulumi Outputs.
 */
export function bucketCorsRule<Origin>(allowedOrigins: Origin[]) {
  return {
    allowedOrigins,
    allowedMethods: ['POST', 'PUT'],
    allowedHeaders: ['*'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3600,
  };
}

/** The one `bucket.notify` call: an upload under imports/ (.zip or .json) starts an import. */
export const uploadNotifications = (['zip', 'json'] as const).map((extension) => ({
  name: `StartImportOn${extension === 'zip' ? 'Zip' : 'Json'}Upload`,
  events: ['s3:ObjectCreated:*'] as ['s3:ObjectCreated:*'],
  filterPrefix: objectKeys.uploadPrefix,
  filterSuffix: `.${extension}`,
}));

// ---- Functions -----------------------------------------------------------------------------

export type LinkName = (typeof linkNames)[keyof typeof linkNames];
type Megabytes = `${number} MB`;
type Timeout = `${number} ${'second' | 'seconds' | 'minute' | 'minutes'}`;

export interface FunctionPlan {
  handler: string;
  memory: Megabytes;
  timeout: Timeout;
  /** Ephemeral /tmp storage. */
  storage?: Megabytes;
  /** SST links: only what the handler reads or writes. */
  link: LinkName[];
}

const handlers = 'packages/functions/src';
const seconds = (value: number): Timeout => (value % 60 === 0 ? `${value / 60} minutes` : `${value} seconds`);

/**
 * One Lambda per handler. Lambda timeouts equal the Task timeouts of the definition, so a Task
 * never outlives its function (and never waits on a dead one longer than needed).
 */
export const functionPlans = {
  startImport: { handler: `${handlers}/import/startImport.handler`, memory: '256 MB', timeout: '30 seconds', link: [linkNames.imports, linkNames.bucket, linkNames.workflow] },
  acquireLock: { handler: `${handlers}/import/acquireLock.handler`, memory: '256 MB', timeout: seconds(taskTimeoutSeconds.acquireLock), link: [linkNames.imports] },
  // Streams the whole archive to /tmp and through the parser: the most CPU (3008 MB ≈ 1.7 vCPU),
  // the Lambda maximum of time and /tmp (a 1 GB zip plus its chunk files fits with room).
  split: { handler: `${handlers}/import/split.handler`, memory: '3008 MB', timeout: seconds(taskTimeoutSeconds.split), storage: '10240 MB', link: [linkNames.imports, linkNames.bucket] },
  processChunk: { handler: `${handlers}/import/processChunk.handler`, memory: '1024 MB', timeout: seconds(taskTimeoutSeconds.processChunk), link: [linkNames.conversations, linkNames.imports, linkNames.bucket] },
  finalize: { handler: `${handlers}/import/finalize.handler`, memory: '512 MB', timeout: seconds(taskTimeoutSeconds.finalize), link: [linkNames.conversations, linkNames.imports, linkNames.bucket] },
  markFailed: { handler: `${handlers}/import/markFailed.handler`, memory: '256 MB', timeout: seconds(taskTimeoutSeconds.markFailed), link: [linkNames.imports, linkNames.bucket] },
  // EventBridge → an execution ended ABORTED / TIMED_OUT / FAILED: finish its job, release its lock.
  reconcileExecution: { handler: `${handlers}/import/reconcileExecution.handler`, memory: '256 MB', timeout: '30 seconds', link: [linkNames.imports, linkNames.workflowReader] },
  httpApi: { handler: `${handlers}/api/httpApi.handler`, memory: '512 MB', timeout: '29 seconds', link: [linkNames.conversations, linkNames.imports, linkNames.bucket, linkNames.workflowReader] },
} as const satisfies Record<string, FunctionPlan>;

export type FunctionKey = keyof typeof functionPlans;

// ---- HTTP API ------------------------------------------------------------------------------

/** Every route goes to the httpApi handler, behind the Cognito JWT authorizer. */
export { apiRoutes } from '@threadline/core/httpApi/apiRoutes';

// ---- Workflow ------------------------------------------------------------------------------

export interface DeployedWorkflowInputs {
  functions: ImportFunctionArns;
  bucket: string;
}

/** The definition string given to aws.sfn.StateMachine: core's definition, deployment settings. */
export function deployedWorkflowDefinition(inputs: DeployedWorkflowInputs): string {
  return JSON.stringify(
    importStateMachineDefinition({
      functions: inputs.functions,
      bucket: inputs.bucket,
      maxConcurrency: workflowSettings.maxConcurrency,
      toleratedFailurePercentage: workflowSettings.toleratedFailurePercentage,
      resultsPrefix: workflowSettings.resultsPrefix,
    }),
    null,
    2,
  );
}
