// What handlers read from SST's links: resource names and the workflow's ARN. Read when first
// used, not up front: each function is linked only to what it touches, and `Resource.<link>`
// throws for a link it lacks. Only the Lambda context factories use this; the local system
// passes its own names.

import { Resource } from 'sst';
import { linkNames, type ArchiveResources } from '@threadline/core/aws/archiveResources';

/** The shapes of the links sst.config.ts gives the functions. */
interface Links {
  [linkNames.conversations]: { name: string };
  [linkNames.imports]: { name: string };
  [linkNames.bucket]: { name: string };
  [linkNames.workflow]: { arn: string };
  [linkNames.workflowReader]: { arn: string };
}

const links = Resource as unknown as Links;

export function linkedResources(): ArchiveResources {
  return {
    tables: {
      get Conversations() {
        return links[linkNames.conversations].name;
      },
      get Imports() {
        return links[linkNames.imports].name;
      },
    },
    get bucket() {
      return links[linkNames.bucket].name;
    },
  };
}

/**
 * The import workflow's ARN, from the workflow link this function has: `ImportWorkflow` where it
 * may start executions (start-import), else `ImportWorkflowReader` (may only read them). A
 * function with neither gets SST's "not linked" error.
 */
export function linkedWorkflowArn(): string {
  // SST's Resource answers `has` for what the function is linked to (reading a missing link throws).
  return Reflect.has(links, linkNames.workflow) ? links[linkNames.workflow].arn : links[linkNames.workflowReader].arn;
}
