import type { TestProject } from 'vitest/node';
import { startLocalStack } from '@threadline/local/stack/localStack';
import './localPartsContext';

/**
 * Starts DynamoDB Local (in memory) and s3rver (temp dir) once per test run, in vitest's main
 * process, and provides their env to the workers; each test file then creates its own tables and
 * bucket with useIsolatedResources(). The returned teardown also runs when tests fail.
 */
export default async function startLocalParts(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startLocalStack({ inMemory: true });
  project.provide('localParts', { env: stack.env });
  return () => stack.stop();
}
