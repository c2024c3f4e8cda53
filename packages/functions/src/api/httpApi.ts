// The HTTP API's Lambda (every route, behind the Cognito JWT authorizer) — and, unchanged, the
// handler behind the local server. It only translates: the routes live in packages/core/src/api.

import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { apiRequestOf, httpApiResultOf } from '@threadline/core/httpApi/apiGatewayEvent';
import type { ApiContext } from '@threadline/core/httpApi/apiTypes';
import { errorResponse, routeRequest } from '@threadline/core/httpApi/routeTable';
import { createAwsClients } from '@threadline/core/aws/awsClients';
import { linkedResources, linkedWorkflowArn } from '../linkedResources';

let context: ApiContext | undefined;

/** Built once per container (and lazily, so the local server sets its env first). */
function apiContext(): ApiContext {
  context ??= {
    clients: createAwsClients(),
    resources: linkedResources(),
    // On AWS the stack passes the ARN as env (the API is not linked to the workflow: it may only
    // read executions, not start them); the local system links it.
    workflowArn: () => process.env.THREADLINE_WORKFLOW_ARN ?? workflowArnFromLink(),
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...uploadLimitsFromEnv(),
  };
  return context;
}

/** A lower multipart threshold for trying the multipart path without a 5 GB file (local tests). */
function uploadLimitsFromEnv(): Pick<ApiContext, 'uploadLimits'> {
  const above = Number(process.env.THREADLINE_MULTIPART_ABOVE_BYTES);
  if (!Number.isSafeInteger(above) || above <= 0) return {};
  return { uploadLimits: { multipartAboveBytes: above, minPartBytes: 5 * 1024 ** 2 } };
}

/** Locally the API function is linked to the workflow; on AWS it is not (the env var serves). */
function workflowArnFromLink(): string | null {
  try {
    return linkedWorkflowArn();
  } catch {
    return null;
  }
}

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> {
  let request;
  try {
    request = apiRequestOf(event);
  } catch (error) {
    return httpApiResultOf(errorResponse(error));
  }
  return httpApiResultOf(await routeRequest(apiContext(), request));
}
