// What every handler needs from SST's links (or, locally, the SST_RESOURCE_* variables the stack
// sets): the resource names. Read when first used, not up front: each function is linked only to
// what it touches, and `Resource.<link>` throws for a link it lacks.

import { Resource } from 'sst';
import { linkNames, type ArchiveResources } from '@threadline/core/aws/archiveResources';

/** The shapes of the links sst.config.ts gives the functions. */
interface Links {
  [linkNames.conversations]: { name: string };
  [linkNames.imports]: { name: string };
  [linkNames.bucket]: { name: string };
  [linkNames.workflow]: { arn: string };
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

/** The import workflow's ARN; throws when the function is not linked to it. */
export function linkedWorkflowArn(): string {
  return links[linkNames.workflow].arn;
}
