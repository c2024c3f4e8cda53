/**
 * The physical names of the system's resources. On AWS they come from SST's `Resource`; locally
 * the stack creates them (per test file, with a unique prefix) and passes the same shape.
 */
export interface ArchiveResources {
  tables: { Conversations: string; Imports: string };
  bucket: string;
}

/**
 * SST link names: sst.config.ts names its resources so, and handlers read `Resource.<name>`.
 * The workflow has two links with the same `arn`: `workflow` may start executions (start-import),
 * `workflowReader` may only read them (the API's execution view, the reconcile function).
 */
export const linkNames = {
  conversations: 'Conversations',
  imports: 'Imports',
  bucket: 'Archive',
  workflow: 'ImportWorkflow',
  workflowReader: 'ImportWorkflowReader',
} as const;
