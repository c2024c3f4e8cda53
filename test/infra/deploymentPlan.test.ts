import { conversationSummaryAttributes } from '@threadline/core/archive/conversationItems';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  apiRoutes,
  bucketCorsRule,
  bucketLifecycle,
  deployedWorkflowDefinition,
  dynamoTablePlan,
  functionPlans,
  tablePlans,
  uploadNotifications,
} from '@threadline/deployment/deploymentPlan';
import { executionStatusChangePattern, workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';
import { linkNames } from '@threadline/core/aws/archiveResources';
import { conversationsTable, importsTable } from '@threadline/core/archive/tableSchemas';
import { importStateMachineDefinition, taskTimeoutSeconds } from '@threadline/core/importWorkflow/importStateMachine';

type Validator = (definition: object) => { isValid: boolean; errorsText: (separator?: string) => string };
const validator = createRequire(import.meta.url)('asl-validator') as Validator;
const repo = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
const fn = (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:${id}`;
const functions = { acquireLock: fn('a'), split: fn('s'), processChunk: fn('p'), finalize: fn('f'), markFailed: fn('m') };

describe('DynamoDB tables from the table schemas', () => {
  it('Conversations: pk/sk and the sparse byUser index', () => {
    expect(dynamoTablePlan(conversationsTable)).toEqual({
      fields: { pk: 'string', sk: 'string', gsi1pk: 'string', gsi1sk: 'string' },
      primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
      globalIndexes: { byUser: { hashKey: 'gsi1pk', rangeKey: 'gsi1sk', projection: [...conversationSummaryAttributes] } },
    });
    expect(conversationSummaryAttributes).not.toContain('transcript');
  });

  it('Imports: pk/sk with TTL on expires_at', () => {
    expect(dynamoTablePlan(importsTable)).toEqual({
      fields: { pk: 'string', sk: 'string' },
      primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
      globalIndexes: {},
      ttl: 'expires_at',
    });
  });

  it('one plan per schema, named as the SST links the handlers read', () => {
    expect(tablePlans.map((t) => t.name)).toEqual([linkNames.conversations, linkNames.imports]);
  });
});

describe('bucket', () => {
  it('expires uploads after 7 days and work files after 2; keeps reports and archive/', () => {
    expect(bucketLifecycle).toEqual([
      { id: 'expire-uploads', prefix: 'imports/', expiresIn: '7 days' },
      { id: 'expire-work-files', prefix: 'work/', expiresIn: '2 days' },
    ]);
    expect(workflowSettings.resultsPrefix.startsWith('work/')).toBe(true);
  });

  it('starts imports on .zip and .json uploads under imports/', () => {
    expect(uploadNotifications).toEqual([
      { name: 'StartImportOnZipUpload', events: ['s3:ObjectCreated:*'], filterPrefix: 'imports/', filterSuffix: '.zip' },
      { name: 'StartImportOnJsonUpload', events: ['s3:ObjectCreated:*'], filterPrefix: 'imports/', filterSuffix: '.json' },
    ]);
  });

  it('CORS: the site origin may POST/PUT uploads, nothing more', () => {
    expect(bucketCorsRule(['https://d1.cloudfront.net'])).toEqual({
      allowedOrigins: ['https://d1.cloudfront.net'],
      allowedMethods: ['POST', 'PUT'],
      allowedHeaders: ['*'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 3600,
    });
  });
});

describe('functions', () => {
  it('one function per handler, at the agreed paths', () => {
    expect(Object.fromEntries(Object.entries(functionPlans).map(([k, p]) => [k, p.handler]))).toEqual({
      startImport: 'packages/functions/src/import/startImport.handler',
      acquireLock: 'packages/functions/src/import/acquireLock.handler',
      split: 'packages/functions/src/import/split.handler',
      processChunk: 'packages/functions/src/import/processChunk.handler',
      finalize: 'packages/functions/src/import/finalize.handler',
      markFailed: 'packages/functions/src/import/markFailed.handler',
      reconcileExecution: 'packages/functions/src/import/reconcileExecution.handler',
      httpApi: 'packages/functions/src/api/httpApi.handler',
    });
  });

  it('split gets the most memory, 15 minutes and 10 GB of /tmp; processChunk 1 GB and 5 minutes', () => {
    expect(functionPlans.split).toMatchObject({ memory: '3008 MB', timeout: '15 minutes', storage: '10240 MB' });
    expect(functionPlans.processChunk).toMatchObject({ memory: '1024 MB', timeout: '5 minutes' });
  });

  it('each Lambda timeout equals its Task timeout in the definition', () => {
    const toSeconds = (t: string) => Number(t.split(' ')[0]) * (t.includes('minute') ? 60 : 1);
    for (const key of Object.keys(taskTimeoutSeconds) as (keyof typeof taskTimeoutSeconds)[]) {
      expect(toSeconds(functionPlans[key].timeout), key).toBe(taskTimeoutSeconds[key]);
    }
  });

  it('links only what each handler uses; only start-import gets the workflow link that may start it, the API and the reconcile function the read-only one', () => {
    const { conversations: C, imports: I, bucket: B, workflow: W, workflowReader: R } = linkNames;
    expect(Object.fromEntries(Object.entries(functionPlans).map(([k, p]) => [k, [...p.link].sort()]))).toEqual({
      startImport: [B, W, I].sort(),
      acquireLock: [I],
      split: [B, I].sort(),
      processChunk: [B, C, I].sort(),
      finalize: [B, C, I].sort(),
      markFailed: [B, I].sort(),
      reconcileExecution: [I, R].sort(),
      httpApi: [B, C, I, R].sort(),
    });
  });
});

describe('HTTP API routes', () => {
  it('are the routes the web page uses: the nine of the issue plus /me, /activity, completing a multipart upload and /search', () => {
    expect([...apiRoutes].sort()).toEqual([
      'GET /me',
      'GET /activity',
      'POST /imports',
      'POST /imports/{id}/complete',
      'GET /imports',
      'GET /imports/{id}',
      'GET /imports/{id}/report',
      'GET /imports/{id}/execution',
      'POST /imports/{id}/retry',
      'GET /conversations',
      'GET /conversations/{id}',
      'GET /conversations/{id}/messages',
      'DELETE /conversations/{id}',
      'GET /search',
    ].sort());
  });

  it('search needs no resource of its own: its index lives under the user\'s keys in Conversations', () => {
    // The functions that write the index (the chunk step; Finalize's mirror deletes) and read it
    // (the API) are linked to Conversations already; nothing else gets it.
    const linkedToConversations = Object.entries(functionPlans).filter(([, plan]) => (plan.link as readonly string[]).includes(linkNames.conversations)).map(([key]) => key);
    expect(linkedToConversations.sort()).toEqual(['finalize', 'httpApi', 'processChunk']);
    expect(apiRoutes).toContain('GET /search');
  });
});

describe('deployed workflow definition', () => {
  const deployed = deployedWorkflowDefinition({ functions, bucket: 'archive-bucket' });

  it('is core\'s importStateMachineDefinition with the deployment settings', () => {
    expect(JSON.parse(deployed)).toEqual(
      importStateMachineDefinition({
        functions,
        bucket: 'archive-bucket',
        maxConcurrency: workflowSettings.maxConcurrency,
        toleratedFailurePercentage: workflowSettings.toleratedFailurePercentage,
        resultsPrefix: workflowSettings.resultsPrefix,
      }),
    );
  });

  it('is valid ASL (JSONPath, no JSONata)', () => {
    const { isValid, errorsText } = validator(JSON.parse(deployed));
    expect(isValid, errorsText()).toBe(true);
    expect(deployed).not.toContain('QueryLanguage');
    expect(deployed).not.toContain('{%');
  });

  it('writes Map results where the role may write them', () => {
    const map = (JSON.parse(deployed).States as Record<string, any>).ProcessChunks;
    expect(map.ResultWriter.Parameters).toEqual({ Bucket: 'archive-bucket', Prefix: workflowSettings.resultsPrefix });
    expect(map.ItemReader.Parameters.Bucket).toBe('archive-bucket');
  });
});

describe('reconciling executions that end without their Catch', () => {
  const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:threadline-dev-ImportWorkflow';

  it('the EventBridge rule matches this state machine\'s executions ending ABORTED, TIMED_OUT or FAILED', () => {
    expect(executionStatusChangePattern(arn)).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [arn] },
    });
  });

  it('AcquireLock is given the state machine\'s own ARN, to name the lock holder\'s execution', () => {
    const acquire = (JSON.parse(deployedWorkflowDefinition({ functions, bucket: 'b' })).States as Record<string, any>).AcquireLock;
    expect(acquire.Parameters).toEqual({ 'importId.$': '$.importId', 'userId.$': '$.userId', 'workflowArn.$': '$$.StateMachine.Id' });
    expect(acquire.ResultPath).toBe('$.lock');
  });

  it('deploys the rule, its target and the invoke permission for events.amazonaws.com only', () => {
    const workflow = repo('infra/workflow.ts');
    expect(workflow).toMatch(/new aws\.cloudwatch\.EventRule\(/);
    expect(workflow).toMatch(/executionStatusChangePattern\(arn\)/);
    expect(workflow).toMatch(/principal: "events\.amazonaws\.com",\s+sourceArn: statusChangeRule\.arn/);
    expect(workflow).toMatch(/new aws\.cloudwatch\.EventTarget\(/);
  });
});

describe('infra wiring (static: sst.config.ts and infra/ need the SST CLI to run)', () => {
  const workflow = repo('infra/workflow.ts');
  const storage = repo('infra/storage.ts');
  const api = repo('infra/api.ts');
  const config = repo('sst.config.ts');

  it('deploys core\'s definition and role policy through aws.sfn.StateMachine', () => {
    expect(workflow).toMatch(/new aws\.sfn\.StateMachine\(/);
    expect(workflow).toMatch(/definition: \$resolve\(\{ functions: functionArns, bucket: bucket\.name \}\)\.apply\(deployedWorkflowDefinition\)/);
    expect(workflow).toMatch(/workflowRolePolicy\(/);
    expect(workflow).toMatch(/type: "STANDARD"/);
    expect(workflow).toMatch(/includeExecutionData: false/);
    expect(workflow).not.toMatch(/new sst\.aws\.StepFunctions/);
    // The workflow's ARN reaches functions through links only (start-import's may start it, the read-only one may read it).
    expect(workflow).toMatch(/new sst\.Linkable\("ImportWorkflowReader", \{\s+properties: \{ arn: workflowArn \}/);
    expect(workflow + repo('infra/api.ts')).not.toMatch(/THREADLINE_WORKFLOW_ARN|addEnvironment/);
    expect(workflow).toMatch(/runtime: "nodejs22\.x"/);
  });

  it('calls bucket.notify exactly once, with the upload notifications', () => {
    expect([...workflow.matchAll(/\.notify\(/g)]).toHaveLength(1);
    expect(workflow).toMatch(/uploadNotifications\.map/);
  });

  it('creates each table from its schema, with point-in-time recovery', () => {
    expect(storage).toMatch(/tablePlans/);
    expect(storage).toMatch(/pointInTimeRecovery = \{ enabled: true \}/);
  });

  it('routes every API route through the JWT authorizer', () => {
    expect(api).toMatch(/for \(const route of apiRoutes\)/);
    expect(api).toMatch(/auth: \{ jwt: \{ authorizer: authorizer\.id \} \}/);
  });

  it('keeps home "aws" and outputs site, api, state machine and console link', () => {
    expect(config).toMatch(/home: "aws"/);
    for (const key of ['site:', 'api:', 'stateMachine:', 'console:']) expect(config).toContain(key);
  });
});
