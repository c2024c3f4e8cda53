// The import use-cases' context inside a Lambda (or the local system running the same handlers):
// AWS clients from the SDK's standard environment, names from SST's links. Built once per
// container, on first use.

import { createAwsClients } from '@threadline/core/aws/awsClients';
import type { ImportContext } from '@threadline/core/importWorkflow/importContext';
import { linkedResources } from '../linkedResources';

export { linkedWorkflowArn } from '../linkedResources';

let context: ImportContext | undefined;

export function linkedImportContext(): ImportContext {
  context ??= { clients: createAwsClients(), resources: linkedResources() };
  return context;
}
