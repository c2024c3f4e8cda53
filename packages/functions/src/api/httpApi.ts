// The HTTP API's Lambda (every route, behind the Cognito JWT authorizer) — and, unchanged, the
// handler behind the local server. It only translates: the routes live in packages/core/src/api.

import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { Resource } from 'sst';
import { apiRequestOf, httpApiResultOf } from '@threadline/core/api/apiGatewayEvent';
import type { ApiContext } from '@threadline/core/api/apiTypes';
import { errorResponse, routeRequest } from '@threadline/core/api/routeTable';
import { linkNames } from '@threadline/core/aws/archiveResources';
import { createAwsClients } from '@threadline/core/aws/awsClients';

/** SST links by name; read on first use, since reading a link this function lacks throws. */
const linked = Resource as unknown as Record<string, { name?: string; arn?: string } | undefined>;
const linkedName = (link: string) => linked[link]?.name ?? '';

let context: ApiContext | undefined;

/** Built once per container (and lazily, so the local server sets its env first). */
function apiContext(): ApiContext {
  context ??= {
    clients: createAwsClients(),
    resources: {
      tables: {
        get Conversations() {
          return linkedName(linkNames.conversations);
        },
        get Imports() {
          return linkedName(linkNames.imports);
        },
      },
      get bucket() {
        return linkedName(linkNames.bucket);
      },
    },
    // On AWS the stack passes the ARN as env (the API is not linked to the workflow: it may only
    // read executions, not start them); the local system links it.
    workflowArn: () => process.env.THREADLINE_WORKFLOW_ARN ?? workflowArnFromLink(),
    region: process.env.AWS_REGION ?? 'us-east-1',
  };
  return context;
}

function workflowArnFromLink(): string | null {
  try {
    return linked[linkNames.workflow]?.arn ?? null;
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
