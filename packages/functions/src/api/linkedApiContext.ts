// The HTTP API's context inside its Lambda: clients from the function's environment, names and
// the workflow's ARN from SST's links (the read-only workflow link: the API reads executions and
// their history; retrying is its own permission). No local identity: users come from JWT claims.

import { createAwsClients } from '@threadline/core/aws/awsClients';
import type { ApiContext } from '@threadline/core/httpApi/apiTypes';
import { jsonLineLog } from '@threadline/core/importWorkflow/importContext';
import { linkedResources, linkedWorkflowArn } from '../linkedResources';

export function linkedApiContext(): ApiContext {
  return {
    clients: createAwsClients(process.env),
    resources: linkedResources(),
    workflowArn: linkedWorkflowArn,
    region: process.env.AWS_REGION ?? 'us-east-1',
    log: jsonLineLog,
  };
}
