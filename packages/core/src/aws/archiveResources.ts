/**
 * The physical names of the system's resources. On AWS they come from SST's `Resource`; locally
 * the stack creates them (per test file, with a unique prefix) and passes the same shape.
 */
export interface ArchiveResources {
  tables: { Conversations: string; Imports: string };
  bucket: string;
}

/** SST link names: sst.config.ts names its resources so, and handlers read `Resource.<name>`. */
export const linkNames = {
  conversations: 'Conversations',
  imports: 'Imports',
  bucket: 'Archive',
  workflow: 'ImportWorkflow',
} as const;

/**
 * The `SST_RESOURCE_<Name>` variables that make SST's `Resource` resolve locally exactly as it
 * does in a deployed Lambda (same JSON shape as the linked components).
 */
export function sstResourceEnvironment(resources: ArchiveResources, workflowArn?: string): Record<string, string> {
  const env: Record<string, string> = {
    SST_RESOURCE_App: JSON.stringify({ name: 'threadline', stage: 'local' }),
    [`SST_RESOURCE_${linkNames.conversations}`]: JSON.stringify({ name: resources.tables.Conversations, type: 'sst.aws.Dynamo' }),
    [`SST_RESOURCE_${linkNames.imports}`]: JSON.stringify({ name: resources.tables.Imports, type: 'sst.aws.Dynamo' }),
    [`SST_RESOURCE_${linkNames.bucket}`]: JSON.stringify({ name: resources.bucket, type: 'sst.aws.Bucket' }),
  };
  if (workflowArn) env[`SST_RESOURCE_${linkNames.workflow}`] = JSON.stringify({ arn: workflowArn, type: 'sst.sst.Linkable' });
  return env;
}
