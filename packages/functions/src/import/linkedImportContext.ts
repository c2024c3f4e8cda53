// The import handlers' context inside a Lambda: AWS clients from the function's environment
// (the SDK's standard variables), names and the workflow's ARN from SST's links, logs as JSON
// lines to CloudWatch. The local system never uses this: it passes its own context.

import { createAwsClients } from '@threadline/core/aws/awsClients';
import { jsonLineLog } from '@threadline/core/importWorkflow/importContext';
import { linkedResources, linkedWorkflowArn } from '../linkedResources';
import type { ImportHandlerContext } from './importHandlers';

export function linkedImportContext(): ImportHandlerContext {
  return {
    clients: createAwsClients(process.env),
    resources: linkedResources(),
    get workflowArn() {
      return linkedWorkflowArn();
    },
    log: jsonLineLog,
  };
}
