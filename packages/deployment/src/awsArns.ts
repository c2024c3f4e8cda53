// ARNs and console links of the deployed system, built from plain strings so they can be
// computed (and tested) without AWS. sst.config.ts resolves partition/region/account with
// Pulumi's aws.get*Output() and calls these inside an apply.

export interface AwsAccountContext {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  region: string;
  accountId: string;
}

/**
 * The state machine's ARN, known before the state machine exists (its name is set explicitly):
 * the role's policy needs it, and taking it from the resource would be a dependency cycle
 * (state machine → role → policy → state machine).
 */
export function stateMachineArn(ctx: AwsAccountContext, stateMachineName: string): string {
  return `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:stateMachine:${stateMachineName}`;
}

/**
 * Every execution of the state machine. Top-level executions are `execution:<name>:<execName>`;
 * Distributed Map child executions are `execution:<name>/<mapRunLabel>:<uuid>`.
 */
export function executionArnPatterns(ctx: AwsAccountContext, stateMachineName: string): string[] {
  const base = `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:execution:${stateMachineName}`;
  return [`${base}:*`, `${base}/*`];
}

/** The Step Functions console page of a state machine (its executions, each with a graph). */
export function stateMachineConsoleUrl(region: string, arn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${arn}`;
}

/** State machine names: 1–80 chars of [A-Za-z0-9-_]; SST app and stage names fit. */
export function stateMachineName(app: string, stage: string): string {
  const name = `${app}-${stage}-ImportWorkflow`.replace(/[^A-Za-z0-9_-]/g, '-');
  if (name.length > 80) throw new Error(`State machine name too long (${name.length} > 80): ${name}`);
  return name;
}
