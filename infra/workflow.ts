// The import workflow: one Lambda per step, the state machine deployed with Pulumi's
// aws.sfn.StateMachine (sst.aws.StepFunctions emits JSONata and cannot express ItemReader /
// ResultWriter), its own least-privilege role, and S3 uploads starting imports.
import { stateMachineArn, stateMachineName } from "../packages/deployment/src/awsArns";
import {
  deployedWorkflowDefinition,
  functionPlans,
  uploadNotifications,
  type FunctionKey,
} from "../packages/deployment/src/deploymentPlan";
import { executionStatusChangePattern, workflowSettings } from "../packages/core/src/importWorkflow/workflowSettings";
import {
  executionViewerActions,
  executionViewerPermission,
  lockHolderCheckPermission,
  startImportPermission,
  workflowRolePolicy,
  workflowTrustPolicy,
} from "../packages/deployment/src/workflowPolicies";
import { bucket, conversationsTable, importsTable } from "./storage";

const partition = aws.getPartitionOutput().partition;
const region = aws.getRegionOutput().region;
const accountId = aws.getCallerIdentityOutput().accountId;
export const account = $resolve({ partition, region, accountId });

export const workflowName = stateMachineName($app.name, $app.stage);
/** Known before the state machine exists: the role's policy needs it (no dependency cycle). */
export const workflowArn = account.apply((ctx) => stateMachineArn(ctx, workflowName));

/** ImportWorkflow: `Resource.ImportWorkflow.arn`, and permission to start it, for start-import only. */
export const importWorkflowLink = new sst.Linkable("ImportWorkflow", {
  properties: { arn: workflowArn },
  include: [sst.aws.permission(startImportPermission(workflowArn))],
});

/**
 * ImportWorkflowReader: the same `arn`, read-only — DescribeExecution and GetExecutionHistory on
 * the workflow's executions — for the API's execution view and the reconcile function (which
 * matches events against the ARN). One way to the ARN everywhere: a link, never an env var.
 */
export const importWorkflowReaderLink = new sst.Linkable("ImportWorkflowReader", {
  properties: { arn: workflowArn },
  include: [
    sst.aws.permission({
      actions: [...executionViewerActions],
      resources: account.apply((ctx) => executionViewerPermission(ctx, workflowName).resources),
    }),
  ],
});

const links = {
  Conversations: conversationsTable,
  Imports: importsTable,
  Archive: bucket,
  ImportWorkflow: importWorkflowLink,
  ImportWorkflowReader: importWorkflowReaderLink,
};

export function importFunction(
  key: FunctionKey,
  extra: { permissions?: sst.aws.FunctionArgs["permissions"]; environment?: sst.aws.FunctionArgs["environment"] } = {},
) {
  const plan = functionPlans[key];
  return new sst.aws.Function(`${key[0]!.toUpperCase()}${key.slice(1)}`, {
    handler: plan.handler,
    runtime: "nodejs22.x",
    architecture: "arm64",
    memory: plan.memory,
    timeout: plan.timeout,
    ...("storage" in plan ? { storage: plan.storage } : {}),
    link: plan.link.map((name) => links[name]),
    logging: { retention: "1 month" },
    ...extra,
  });
}

export const startImport = importFunction("startImport");
// Asks whether a busy lock's holder still runs (DescribeExecution), so a dead one is taken over.
const acquireLock = importFunction("acquireLock", {
  permissions: account.apply((ctx) => [lockHolderCheckPermission(ctx, workflowName)]),
});
const split = importFunction("split");
const processChunk = importFunction("processChunk");
const finalize = importFunction("finalize");
const markFailed = importFunction("markFailed");

// One notify call per bucket (SST allows no second one): .zip and .json uploads under imports/.
bucket.notify({
  notifications: uploadNotifications.map((notification) => ({ ...notification, function: startImport.arn })),
});

const role = new aws.iam.Role("ImportWorkflowRole", {
  description: `Step Functions role of ${workflowName}`,
  assumeRolePolicy: account.apply((ctx) => JSON.stringify(workflowTrustPolicy(ctx))),
});

const functionArns = $resolve({
  acquireLock: acquireLock.arn,
  split: split.arn,
  processChunk: processChunk.arn,
  finalize: finalize.arn,
  markFailed: markFailed.arn,
});

const rolePolicy = new aws.iam.RolePolicy("ImportWorkflowRolePolicy", {
  role: role.id,
  policy: $resolve({ ctx: account, functions: functionArns, bucketArn: bucket.arn }).apply(({ ctx, functions, bucketArn }) =>
    JSON.stringify(
      workflowRolePolicy({
        ...ctx,
        stateMachineName: workflowName,
        functions,
        bucketArn,
        resultsPrefix: workflowSettings.resultsPrefix,
      }),
    ),
  ),
});

const logGroup = new aws.cloudwatch.LogGroup("ImportWorkflowLogs", {
  name: `/aws/vendedlogs/states/${workflowName}`,
  retentionInDays: 30,
});

export const stateMachine = new aws.sfn.StateMachine(
  "ImportWorkflowStateMachine",
  {
    name: workflowName,
    type: "STANDARD",
    roleArn: role.arn,
    // The very definition the local engine runs: packages/core/src/workflow/importStateMachine.ts.
    definition: $resolve({ functions: functionArns, bucket: bucket.name }).apply(deployedWorkflowDefinition),
    loggingConfiguration: {
      level: "ERROR",
      includeExecutionData: false,
      logDestination: $interpolate`${logGroup.arn}:*`,
    },
  },
  // The role must be able to invoke and log before Step Functions validates the definition.
  { dependsOn: [rolePolicy] },
);

// A stopped or timed-out execution never runs its Catch: EventBridge tells the reconcile function,
// which finishes that import (FAILED with the reason, lock released) within seconds.
const reconcileExecution = importFunction("reconcileExecution");

const statusChangeRule = new aws.cloudwatch.EventRule("ImportExecutionEnded", {
  description: `Executions of ${workflowName} that ended ABORTED, TIMED_OUT or FAILED`,
  eventPattern: workflowArn.apply((arn) => JSON.stringify(executionStatusChangePattern(arn))),
});
new aws.lambda.Permission("ImportExecutionEndedInvoke", {
  action: "lambda:InvokeFunction",
  function: reconcileExecution.name,
  principal: "events.amazonaws.com",
  sourceArn: statusChangeRule.arn,
});
new aws.cloudwatch.EventTarget("ImportExecutionEndedTarget", {
  rule: statusChangeRule.name,
  arn: reconcileExecution.arn,
});
