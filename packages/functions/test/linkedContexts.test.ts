import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { linkNames } from '@threadline/core/aws/archiveResources';

// The Lambda edge: what the SST-linked contexts read from a function's links. Each case runs in a
// child process given the SST_RESOURCE_* variables SST sets in a deployed function's environment,
// so this process's env is never touched.

const script = fileURLToPath(new URL('./printLinkedContexts.ts', import.meta.url));
const startArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:threadline-ci-ImportWorkflow';

function link(name: string, properties: Record<string, string>) {
  return { [`SST_RESOURCE_${name}`]: JSON.stringify(properties) };
}

async function linkedContexts(links: Record<string, string>) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', SST_RESOURCE_App: JSON.stringify({ name: 'threadline', stage: 'ci' }), ...links },
  });
  return JSON.parse(stdout) as Record<string, { value?: unknown; error?: string } | string>;
}

describe('the SST-linked contexts', () => {
  it('take names from the links and the ARN from start-import\'s workflow link', async () => {
    const contexts = await linkedContexts({
      ...link(linkNames.imports, { name: 'ci-Imports' }),
      ...link(linkNames.bucket, { name: 'ci-archive' }),
      ...link(linkNames.workflow, { arn: startArn }),
    });
    expect(contexts.bucket).toEqual({ value: 'ci-archive' });
    expect(contexts.importWorkflowArn).toEqual({ value: startArn });
    expect(contexts.region).toBe('eu-west-1');
    // Conversations is not linked: reading it says so (SST's own error), reading others works.
    expect(contexts.tables).toEqual({ error: expect.stringMatching(/"Conversations" is not linked/) });
  });

  it('take the ARN from the read-only link where the function has that one (the API, the reconcile function)', async () => {
    const contexts = await linkedContexts(link(linkNames.workflowReader, { arn: startArn }));
    expect(contexts.importWorkflowArn).toEqual({ value: startArn });
    expect(contexts.apiWorkflowArn).toEqual({ value: startArn });
  });

  it('without a workflow link, reading the ARN fails with SST\'s "not linked" (no silent fallback)', async () => {
    const contexts = await linkedContexts(link(linkNames.imports, { name: 'ci-Imports' }));
    expect(contexts.importWorkflowArn).toEqual({ error: expect.stringMatching(new RegExp(`"${linkNames.workflowReader}" is not linked`)) });
    expect(contexts.apiWorkflowArn).toEqual({ error: expect.stringMatching(/is not linked/) });
  });
});
