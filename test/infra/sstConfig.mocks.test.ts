// Runs the real sst.config.ts (and infra/*.ts) under Pulumi's mocks, outside the SST CLI: SST's
// components come from the generated .sst/platform (`npm test` installs it first), the CLI's RPC server is faked (bootstrap bucket, AppSync endpoints).
// `$dev` is true so no function bundle or site build is needed (`sst dev` shape); the resources,
// IAM documents and the state machine definition are the deployed ones.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, deployedWorkflowDefinition } from '@threadline/deployment/deploymentPlan';
import { executionStatusChangePattern, workflowSettings } from '@threadline/core/importWorkflow/workflowSettings';
import { executionArnPatterns } from '@threadline/deployment/awsArns';
import { executionViewerActions, workflowRolePolicy, workflowTrustPolicy } from '@threadline/deployment/workflowPolicies';
import { hostedUiDomainPrefix } from '@threadline/deployment/hostedSignIn';

const root = fileURLToPath(new URL('../../', import.meta.url));
const platform = `${root}.sst/platform`;
const hasPlatform = existsSync(`${platform}/src/components/index.ts`) && existsSync(`${platform}/node_modules/@pulumi/aws`);

interface Created { type: string; name: string; inputs: Record<string, any> }
const created: Created[] = [];
let outputs: Record<string, string> = {};
let server: http.Server | undefined;
const ctx = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };

const byType = (type: string) => created.filter((c) => c.type === type);
const one = (type: string, name: string) => {
  const found = created.find((c) => c.type === type && c.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found;
};
const bucketName = () => one('aws:s3/bucket:Bucket', 'ArchiveBucket').inputs.bucket as string;
const lambdaArn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;

if (!hasPlatform) {
  // `npm test` installs it (pretest); a missing platform is a setup error, never a silent skip.
  throw new Error('.sst/platform is missing: run `npm run sst:install` first');
}

describe('sst.config.ts under Pulumi mocks', () => {
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { method } = JSON.parse(body) as { method: string };
        const results: Record<string, unknown> = {
          'Provider.Aws.Bootstrap': { asset: 'sst-asset', assetEcrRegistryId: '', assetEcrUrl: '', state: 'sst-state', appsyncHttp: '', appsyncRealtime: '' },
          'Provider.Aws.Appsync': { http: 'appsync.invalid', realtime: 'appsync-rt.invalid' },
          'Runtime.AddTarget': null,
        };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(method in results ? { result: results[method], error: null } : { result: null, error: `unexpected RPC ${method}` }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const pulumi = await import(/* @vite-ignore */ `${platform}/node_modules/@pulumi/pulumi/index.js`);
    pulumi.runtime.setMocks(
      {
        newResource: (args: { type: string; name: string; inputs: Record<string, any> }) => {
          created.push({ type: args.type, name: args.name, inputs: args.inputs });
          const name = args.inputs.name ?? args.name;
          const arn = args.type === 'aws:lambda/function:Function' ? lambdaArn(args.name)
            : args.type === 'aws:s3/bucket:Bucket' ? `arn:aws:s3:::${args.inputs.bucket ?? args.name.toLowerCase()}`
            : args.type === 'aws:sfn/stateMachine:StateMachine' ? `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`
            : `arn:aws:mock:eu-west-1:123456789012:${args.name}`;
          return {
            id: `${args.name}-id`,
            state: { ...args.inputs, arn, name, bucket: args.inputs.bucket ?? args.name.toLowerCase(), apiEndpoint: 'https://api.invalid' },
          };
        },
        call: (args: { token: string; inputs: Record<string, any> }) => {
          if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: ctx.accountId };
          if (args.token === 'aws:index/getRegion:getRegion') return { region: ctx.region, name: ctx.region };
          if (args.token === 'aws:index/getPartition:getPartition') return { partition: ctx.partition };
          if (args.token === 'aws:iam/getPolicyDocument:getPolicyDocument') return { json: JSON.stringify(args.inputs), statements: args.inputs.statements };
          throw new Error(`unexpected call ${args.token}`);
        },
      },
      'threadline',
      'ci',
      false,
    );
    Object.assign(globalThis, {
      $app: { name: 'threadline', stage: 'ci', removal: 'remove', providers: { aws: {} }, protect: false },
      $dev: true,
      $cli: { command: 'dev', paths: { home: '/tmp', root, work: `${root}.sst`, platform }, state: { version: {} } },
      $util: pulumi,
      $output: pulumi.output,
      $resolve: pulumi.all,
      $interpolate: pulumi.interpolate,
      $concat: pulumi.concat,
      $jsonStringify: pulumi.jsonStringify,
      $jsonParse: pulumi.jsonParse,
      $config: (config: unknown) => config,
    });
    const sst = await import(/* @vite-ignore */ `${platform}/src/components/index.ts`);
    const aws = await import(/* @vite-ignore */ `${platform}/node_modules/@pulumi/aws/index.js`);
    Object.assign(globalThis, { sst, aws });

    const configPath = `${root}sst.config.ts`;
    const config = (await import(/* @vite-ignore */ configPath)).default;
    const result = await config.run();
    outputs = Object.fromEntries(
      await Promise.all(Object.entries(result).map(async ([key, value]) => [key, await new Promise((resolve) => (value as any).apply(resolve))])),
    );
    // Let the remaining applies (roles, routes, notifications) register.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }, 120_000);

  afterAll(() => {
    server?.close();
  });

  const functionArns = () => ({
    acquireLock: lambdaArn('AcquireLockFunction'),
    split: lambdaArn('SplitFunction'),
    processChunk: lambdaArn('ProcessChunkFunction'),
    finalize: lambdaArn('FinalizeFunction'),
    markFailed: lambdaArn('MarkFailedFunction'),
  });

  it('deploys core\'s definition as a STANDARD state machine with ERROR logging', () => {
    const sm = one('aws:sfn/stateMachine:StateMachine', 'ImportWorkflowStateMachine');
    expect(sm.inputs.name).toBe('threadline-ci-ImportWorkflow');
    expect(sm.inputs.type).toBe('STANDARD');
    expect(sm.inputs.definition).toBe(deployedWorkflowDefinition({ functions: functionArns(), bucket: bucketName() }));
    expect(sm.inputs.loggingConfiguration).toEqual({
      level: 'ERROR',
      includeExecutionData: false,
      logDestination: 'arn:aws:mock:eu-west-1:123456789012:ImportWorkflowLogs:*',
    });
    expect(sm.inputs.roleArn).toBe('arn:aws:mock:eu-west-1:123456789012:ImportWorkflowRole');
  });

  it('gives the state machine its own role with exactly core\'s policies', () => {
    expect(JSON.parse(one('aws:iam/role:Role', 'ImportWorkflowRole').inputs.assumeRolePolicy)).toEqual(workflowTrustPolicy(ctx));
    expect(JSON.parse(one('aws:iam/rolePolicy:RolePolicy', 'ImportWorkflowRolePolicy').inputs.policy)).toEqual(
      workflowRolePolicy({
        ...ctx,
        stateMachineName: 'threadline-ci-ImportWorkflow',
        functions: functionArns(),
        bucketArn: `arn:aws:s3:::${bucketName()}`,
        resultsPrefix: workflowSettings.resultsPrefix,
      }),
    );
  });

  it('creates both tables with point-in-time recovery, TTL on Imports', () => {
    const tables = byType('aws:dynamodb/table:Table');
    expect(tables.map((t) => t.name).sort()).toEqual(['ConversationsTable', 'ImportsTable']);
    for (const t of tables) expect(t.inputs.pointInTimeRecovery).toEqual({ enabled: true });
    expect(one('aws:dynamodb/table:Table', 'ImportsTable').inputs.ttl).toMatchObject({ attributeName: 'expires_at', enabled: true });
    expect(one('aws:dynamodb/table:Table', 'ConversationsTable').inputs.globalSecondaryIndexes).toHaveLength(1);
  });

  it('one bucket notification: .zip and .json under imports/ to start-import', () => {
    const notifications = byType('aws:s3/bucketNotification:BucketNotification');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.inputs.lambdaFunctions).toEqual([
      expect.objectContaining({ lambdaFunctionArn: lambdaArn('StartImportFunction'), filterPrefix: 'imports/', filterSuffix: '.zip', events: ['s3:ObjectCreated:*'] }),
      expect.objectContaining({ lambdaFunctionArn: lambdaArn('StartImportFunction'), filterPrefix: 'imports/', filterSuffix: '.json', events: ['s3:ObjectCreated:*'] }),
    ]);
  });

  it('sizes functions (runtime is the dev bridge under $dev; nodejs22.x is checked statically)', () => {
    const fn = (name: string) => one('aws:lambda/function:Function', `${name}Function`).inputs;
    expect(byType('aws:lambda/function:Function')).toHaveLength(8);
    expect(fn('Split')).toMatchObject({ memorySize: 3008, timeout: 900, ephemeralStorage: { size: 10240 } });
    expect(fn('ProcessChunk')).toMatchObject({ memorySize: 1024, timeout: 300 });
  });

  it('only start-import and the API\'s retry may start executions; only the API may redrive; only the read-only link reads histories', () => {
    const rolePolicyText = (name: string) => JSON.stringify(one('aws:iam/role:Role', `${name}Role`).inputs);
    for (const name of ['AcquireLock', 'Split', 'ProcessChunk', 'Finalize', 'MarkFailed', 'ReconcileExecution']) {
      expect(rolePolicyText(name), name).not.toContain('states:StartExecution');
      expect(rolePolicyText(name), name).not.toContain('states:RedriveExecution');
    }
    for (const name of ['AcquireLock', 'Split', 'ProcessChunk', 'Finalize', 'MarkFailed']) {
      expect(rolePolicyText(name), name).not.toContain('states:GetExecutionHistory');
    }
    expect(rolePolicyText('StartImport')).toContain('states:StartExecution');
    expect(rolePolicyText('HttpApi')).toContain('states:StartExecution');
    expect(rolePolicyText('HttpApi')).toContain('states:RedriveExecution');
    expect(rolePolicyText('HttpApi')).toContain('states:GetExecutionHistory');
    expect(rolePolicyText('StartImport')).not.toContain('states:GetExecutionHistory');
    // AcquireLock asks whether a lock holder still runs.
    expect(rolePolicyText('AcquireLock')).toContain('states:DescribeExecution');
    // The reconcile function gets the workflow's ARN through the read-only link, so it may read
    // the workflow's executions and nothing else on Step Functions.
    const statesStatements = (name: string) =>
      (JSON.parse(one('aws:iam/role:Role', `${name}Role`).inputs.inlinePolicies[0].policy).statements as { actions: string[]; resources: string[] }[])
        .filter((statement) => statement.actions.some((action) => action.startsWith('states:')));
    const readOnly = [{ actions: [...executionViewerActions], resources: executionArnPatterns(ctx, 'threadline-ci-ImportWorkflow') }];
    expect(statesStatements('ReconcileExecution').map(({ actions, resources }) => ({ actions, resources }))).toEqual(readOnly);
    expect(statesStatements('HttpApi').map(({ actions, resources }) => ({ actions, resources }))).toEqual(expect.arrayContaining(readOnly));
  });

  it('sends this state machine\'s executions ending ABORTED, TIMED_OUT or FAILED to the reconcile function', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:threadline-ci-ImportWorkflow';
    const rule = one('aws:cloudwatch/eventRule:EventRule', 'ImportExecutionEnded').inputs;
    expect(JSON.parse(rule.eventPattern)).toEqual(executionStatusChangePattern(arn));
    expect(one('aws:cloudwatch/eventTarget:EventTarget', 'ImportExecutionEndedTarget').inputs).toMatchObject({
      rule: rule.name ?? expect.any(String),
      arn: lambdaArn('ReconcileExecutionFunction'),
    });
    expect(one('aws:lambda/permission:Permission', 'ImportExecutionEndedInvoke').inputs).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      sourceArn: 'arn:aws:mock:eu-west-1:123456789012:ImportExecutionEnded',
    });
    // Its ARN comes through the read-only ImportWorkflowReader link, as the API's does: no env var.
    expect(one('aws:lambda/function:Function', 'ReconcileExecutionFunction').inputs.environment.variables).not.toHaveProperty('THREADLINE_WORKFLOW_ARN');
    expect(one('aws:lambda/function:Function', 'HttpApiFunction').inputs.environment.variables).not.toHaveProperty('THREADLINE_WORKFLOW_ARN');
  });

  it('routes every API route (search included) through the Cognito JWT authorizer', () => {
    const routes = byType('aws:apigatewayv2/route:Route');
    expect(routes.map((r) => r.inputs.routeKey).sort()).toEqual([...apiRoutes].sort());
    for (const r of routes) expect(r.inputs).toMatchObject({ authorizationType: 'JWT', authorizerId: 'ApiAuthorizerCognitoJwtAuthorizer-id' });
    const authorizer = one('aws:apigatewayv2/authorizer:Authorizer', 'ApiAuthorizerCognitoJwtAuthorizer').inputs;
    expect(authorizer.authorizerType).toBe('JWT');
    expect(authorizer.jwtConfiguration).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/UsersUserPool-id',
      audiences: ['WebClient-id'],
    });
  });

  it('gives the user pool a hosted UI on a stage-derived prefix domain', () => {
    const domains = byType('aws:cognito/userPoolDomain:UserPoolDomain');
    expect(domains).toHaveLength(1);
    expect(domains[0]!.inputs).toMatchObject({ userPoolId: 'UsersUserPool-id', domain: hostedUiDomainPrefix('threadline', 'ci', ctx.accountId) });
  });

  it('signs the page in with a public client: code flow (PKCE), no secret, back to the site only', () => {
    expect(byType('aws:cognito/userPoolClient:UserPoolClient')).toHaveLength(1);
    const client = one('aws:cognito/userPoolClient:UserPoolClient', 'WebClient').inputs;
    expect(client).toMatchObject({
      userPoolId: 'UsersUserPool-id',
      generateSecret: false,
      allowedOauthFlows: ['code'],
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthScopes: ['openid', 'email', 'profile'],
      supportedIdentityProviders: ['COGNITO'],
      // Under `sst dev` the site is Vite on localhost:5173; deployed, the router's URL.
      callbackUrls: ['http://localhost:5173/'],
      logoutUrls: ['http://localhost:5173/'],
    });
    expect(client.allowedOauthFlows).not.toContain('implicit');
    expect(client.clientSecret).toBeUndefined();
  });

  it('allows the site origin (and Vite in dev) to upload to the bucket', () => {
    const cors = one('aws:s3/bucketCorsConfiguration:BucketCorsConfiguration', 'ArchiveCors').inputs;
    expect(cors.corsRules[0].allowedOrigins).toEqual(['http://localhost:5173']);
    expect(cors.corsRules[0].allowedMethods).toEqual(['POST', 'PUT']);
  });

  it('outputs the site, API, state machine ARN and console link', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:threadline-ci-ImportWorkflow';
    expect(outputs).toEqual({
      site: 'http://localhost:5173',
      api: 'https://api.invalid',
      signIn: `https://${hostedUiDomainPrefix('threadline', 'ci', ctx.accountId)}.auth.eu-west-1.amazoncognito.com`,
      stateMachine: arn,
      console: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/${arn}`,
    });
  });
});
