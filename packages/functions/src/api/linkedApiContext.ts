// The HTTP API's context inside its Lambda: clients from the function's environment, names and
// the workflow's ARN from SST's links (the read-only workflow link: the API reads executions and
// their history; retrying is its own permission). No local identity: users come from JWT claims.

import { createAwsClients } from '@threadline/core/aws/awsClients';
import type { ApiContext } from '@threadline/core/httpApi/apiTypes';
import { jsonLineLog } from '@threadline/core/importWorkflow/importContext';
import { SearchCache, searchCacheLimits } from '@threadline/core/search/searchCache';
import { linkedResources, linkedWorkflowArn } from '../linkedResources';

export function linkedApiContext(): ApiContext {
  return {
    clients: createAwsClients(process.env),
    resources: linkedResources(),
    workflowArn: linkedWorkflowArn,
    region: process.env.AWS_REGION ?? 'us-east-1',
    log: jsonLineLog,
    // Made once per container (httpApiHandler keeps the context): warm requests share it, within
    // a quarter of the function's memory.
    searchCache: new SearchCache(searchCacheLimits((Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 512) * 1024 * 1024 / 4)),
  };
}
