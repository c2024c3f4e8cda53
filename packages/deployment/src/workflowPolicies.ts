// IAM documents of the import workflow, as data. sst.config.ts deploys exactly these (the state
// machine's role and the functions' extra permissions); test/infra checks them action by action.
// Wildcards appear only where AWS requires them: the CloudWatch Logs delivery actions support no
// resource-level permissions, and object ARNs are prefixes (`work/*`).

import { executionArnPatterns, stateMachineArn, type AwsAccountContext } from './awsArns';
import type { ImportFunctionArns } from '@threadline/core/importWorkflow/importStateMachine';
import { objectKeys } from '@threadline/core/archive/objectKeys';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Principal?: { Service: string };
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface WorkflowRoleInputs extends AwsAccountContext {
  stateMachineName: string;
  functions: ImportFunctionArns;
  /** `arn:aws:s3:::<bucket>` */
  bucketArn: string;
  /** ResultWriter's Prefix, without a trailing slash (`work/map-runs`). */
  resultsPrefix: string;
}

/** Who may assume the state machine's role: Step Functions, for this account's state machines only. */
export function workflowTrustPolicy(ctx: AwsAccountContext): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'StepFunctionsAssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ctx.accountId },
          ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:stateMachine:*` },
        },
      },
    ],
  };
}

/** The actions Step Functions needs to deliver execution logs to CloudWatch Logs (AWS-documented set). */
export const logDeliveryActions = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/** The state machine role's permissions: its five functions, its S3 work files, its own child executions, logs. */
export function workflowRolePolicy(inputs: WorkflowRoleInputs): PolicyDocument {
  const { functions, bucketArn, resultsPrefix } = inputs;
  const prefix = resultsPrefix.replace(/\/+$/, '');
  if (!prefix.startsWith(objectKeys.workArea)) {
    throw new Error(`Map results must live under ${objectKeys.workArea} (expired by the lifecycle rule), got "${resultsPrefix}"`);
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'InvokeImportFunctions',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [functions.acquireLock, functions.split, functions.processChunk, functions.finalize, functions.markFailed],
      },
      {
        // Distributed Map ItemReader: work/<importId>/manifest.jsonl
        Sid: 'ReadChunkManifest',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`${bucketArn}/${objectKeys.workArea}*`],
      },
      {
        // Distributed Map ResultWriter: writes (multipart for large runs) and re-reads its manifest.
        Sid: 'WriteMapResults',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: [`${bucketArn}/${prefix}/*`],
      },
      {
        // A Distributed Map starts its children as executions of this same state machine.
        Sid: 'StartChildExecutions',
        Effect: 'Allow',
        Action: ['states:StartExecution'],
        Resource: [stateMachineArn(inputs, inputs.stateMachineName)],
      },
      {
        Sid: 'ManageChildExecutions',
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: executionArnPatterns(inputs, inputs.stateMachineName),
      },
      {
        // These CloudWatch Logs APIs support no resource-level permissions: "*" is required.
        Sid: 'DeliverExecutionLogs',
        Effect: 'Allow',
        Action: [...logDeliveryActions],
        Resource: '*',
      },
    ],
  };
}

/** An SST function permission (`sst.aws.Function` `permissions` / `sst.aws.permission`). */
export interface FunctionPermission<Resource = string> {
  actions: string[];
  resources: Resource[];
}

/**
 * start-import: start an execution named after the import (exposed through the ImportWorkflow
 * link). Generic so sst.config.ts can pass the ARN as a Pulumi Output.
 */
export function startImportPermission<Arn>(workflowArn: Arn): FunctionPermission<Arn> {
  return { actions: ['states:StartExecution'], resources: [workflowArn] };
}

/** Top-level executions of the workflow (imports), not Distributed Map children. */
function importExecutionArns(ctx: AwsAccountContext, stateMachineName: string): string[] {
  return executionArnPatterns(ctx, stateMachineName).filter((pattern) => pattern.endsWith(':*'));
}

/** AcquireLock: ask whether the lock holder's execution still runs, nothing else. */
export function lockHolderCheckPermission(ctx: AwsAccountContext, stateMachineName: string): FunctionPermission {
  return { actions: ['states:DescribeExecution'], resources: importExecutionArns(ctx, stateMachineName) };
}

/**
 * The HTTP API's retry: redrive an import's execution where Step Functions can, otherwise start a
 * new execution of the same upload (a new import id).
 */
export function importRetryPermissions(ctx: AwsAccountContext, stateMachineName: string): FunctionPermission[] {
  return [
    { actions: ['states:RedriveExecution'], resources: importExecutionArns(ctx, stateMachineName) },
    { actions: ['states:StartExecution'], resources: [stateMachineArn(ctx, stateMachineName)] },
  ];
}

/**
 * What the read-only workflow link (ImportWorkflowReader) grants: read an execution and its event
 * history — the API's execution view needs no more (no ListExecutions: it names executions after
 * their imports).
 */
export const executionViewerActions = ['states:DescribeExecution', 'states:GetExecutionHistory'] as const;

/** The HTTP API's execution view: read one import's execution and its event history, nothing else. */
export function executionViewerPermission(ctx: AwsAccountContext, stateMachineName: string): FunctionPermission {
  return {
    actions: [...executionViewerActions],
    resources: executionArnPatterns(ctx, stateMachineName),
  };
}
