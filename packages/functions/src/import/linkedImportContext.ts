// The import use-cases' context inside a Lambda (or the local system running the same handlers):
// AWS clients from the SDK's standard environment, names from SST's `Resource`. Built once per
// container, on first use. Names are read when first used, not here: each function is linked
// only to what it touches, and `Resource.<link>` throws for a link it lacks.

import { Resource } from 'sst';
import { linkNames, type ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients } from '@threadline/core/aws/awsClients';
import type { ImportContext } from '@threadline/core/importing/importContext';

/** The shapes of the links the import functions read (sst.config.ts links these components). */
interface ImportLinks {
  [linkNames.conversations]: { name: string };
  [linkNames.imports]: { name: string };
  [linkNames.bucket]: { name: string };
  [linkNames.workflow]: { arn: string };
}

const links = Resource as unknown as ImportLinks;

let context: ImportContext | undefined;

export function linkedImportContext(): ImportContext {
  context ??= { clients: createAwsClients(), resources: linkedResources() };
  return context;
}

export function linkedWorkflowArn(): string {
  return links[linkNames.workflow].arn;
}

function linkedResources(): ArchiveResources {
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
