import { describe, expect, it } from 'vitest';
import { executionArnPatterns, stateMachineArn, stateMachineConsoleUrl, stateMachineName } from '@threadline/deployment/awsArns';
import {
  executionViewerPermission,
  importRetryPermissions,
  lockHolderCheckPermission,
  logDeliveryActions,
  startImportPermission,
  workflowRolePolicy,
  workflowTrustPolicy,
  type PolicyStatement,
} from '@threadline/deployment/workflowPolicies';
import { workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';

const ctx = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
const name = stateMachineName('threadline', 'dev');
const fn = (id: string) => `arn:aws:lambda:eu-west-1:123456789012:function:threadline-dev-${id}`;
const functions = { acquireLock: fn('AcquireLock'), split: fn('Split'), processChunk: fn('ProcessChunk'), finalize: fn('Finalize'), markFailed: fn('MarkFailed') };
const bucketArn = 'arn:aws:s3:::threadline-dev-archivebucket-abc';
const policy = workflowRolePolicy({ ...ctx, stateMachineName: name, functions, bucketArn, resultsPrefix: workflowSettings.resultsPrefix });

const statement = (sid: string): PolicyStatement => {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe('state machine role policy', () => {
  it('has exactly the expected statements', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      'InvokeImportFunctions',
      'ReadChunkManifest',
      'WriteMapResults',
      'StartChildExecutions',
      'ManageChildExecutions',
      'DeliverExecutionLogs',
    ]);
    for (const s of policy.Statement) expect(s.Effect).toBe('Allow');
  });

  it('invokes exactly the five workflow functions (not start-import, not the API)', () => {
    expect(statement('InvokeImportFunctions')).toMatchObject({
      Action: ['lambda:InvokeFunction'],
      Resource: [fn('AcquireLock'), fn('Split'), fn('ProcessChunk'), fn('Finalize'), fn('MarkFailed')],
    });
  });

  it('reads the chunk manifest (ItemReader) under work/ only', () => {
    expect(statement('ReadChunkManifest')).toMatchObject({ Action: ['s3:GetObject'], Resource: [`${bucketArn}/work/*`] });
  });

  it('writes Map results (ResultWriter) under the results prefix only', () => {
    expect(statement('WriteMapResults')).toMatchObject({
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: [`${bucketArn}/work/map-runs/*`],
    });
  });

  it('starts, describes and stops only its own (child) executions', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:threadline-dev-ImportWorkflow';
    expect(stateMachineArn(ctx, name)).toBe(arn);
    expect(statement('StartChildExecutions')).toMatchObject({ Action: ['states:StartExecution'], Resource: [arn] });
    expect(statement('ManageChildExecutions')).toMatchObject({
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: [
        'arn:aws:states:eu-west-1:123456789012:execution:threadline-dev-ImportWorkflow:*',
        'arn:aws:states:eu-west-1:123456789012:execution:threadline-dev-ImportWorkflow/*',
      ],
    });
  });

  it('uses "*" only for CloudWatch Logs delivery, which has no resource-level permissions', () => {
    expect(statement('DeliverExecutionLogs')).toMatchObject({ Action: [...logDeliveryActions], Resource: '*' });
    for (const s of policy.Statement) {
      for (const action of s.Action) expect(action).not.toContain('*');
      if (s.Sid !== 'DeliverExecutionLogs') {
        expect(Array.isArray(s.Resource)).toBe(true);
        for (const resource of s.Resource) expect(resource).not.toBe('*');
      }
    }
    expect(logDeliveryActions.every((a) => a.startsWith('logs:'))).toBe(true);
  });

  it('refuses a results prefix outside work/ (it would never expire)', () => {
    expect(() => workflowRolePolicy({ ...ctx, stateMachineName: name, functions, bucketArn, resultsPrefix: 'results' })).toThrow(/work\//);
  });
});

describe('trust policy', () => {
  it('lets only Step Functions of this account assume the role', () => {
    expect(workflowTrustPolicy(ctx)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'StepFunctionsAssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: ['sts:AssumeRole'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:states:eu-west-1:123456789012:stateMachine:*' },
          },
        },
      ],
    });
  });
});

describe('function permissions around the workflow', () => {
  it('start-import may only start executions of the workflow', () => {
    expect(startImportPermission('arn:x')).toEqual({ actions: ['states:StartExecution'], resources: ['arn:x'] });
  });

  it('the HTTP API may only read executions and their history', () => {
    expect(executionViewerPermission(ctx, name)).toEqual({
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      resources: executionArnPatterns(ctx, name),
    });
  });
});

describe('permissions around interrupted imports', () => {
  const base = `arn:aws:states:eu-west-1:123456789012:execution:${name}`;

  it('AcquireLock may only describe the workflow\'s import executions (not Map children)', () => {
    expect(lockHolderCheckPermission(ctx, name)).toEqual({ actions: ['states:DescribeExecution'], resources: [`${base}:*`] });
  });

  it('the API\'s retry may redrive import executions and start the workflow, nothing else', () => {
    expect(importRetryPermissions(ctx, name)).toEqual([
      { actions: ['states:RedriveExecution'], resources: [`${base}:*`] },
      { actions: ['states:StartExecution'], resources: [stateMachineArn(ctx, name)] },
    ]);
  });
});

describe('names and links', () => {
  it('builds a valid state machine name and the console link', () => {
    expect(name).toBe('threadline-dev-ImportWorkflow');
    expect(stateMachineName('threadline', 'pr.42')).toBe('threadline-pr-42-ImportWorkflow');
    expect(() => stateMachineName('threadline', 'x'.repeat(80))).toThrow(/too long/);
    const arn = stateMachineArn(ctx, name);
    expect(stateMachineConsoleUrl('eu-west-1', arn)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/${arn}`,
    );
  });
});
