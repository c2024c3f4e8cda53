// The HTTP API's handler (every route, behind the Cognito JWT authorizer), built from a context
// factory: on AWS the SST-linked context, behind the local server the local system's own. It only
// translates: the routes live in packages/core/src/httpApi.

import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { apiRequestOf, httpApiResultOf } from '@threadline/core/httpApi/apiGatewayEvent';
import type { ApiContext } from '@threadline/core/httpApi/apiTypes';
import { errorResponse, routeRequest } from '@threadline/core/httpApi/routeTable';

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyResultV2>;

/** The factory runs on the first request and its context is kept, once per container. */
export function httpApiHandler(contextOf: () => ApiContext): HttpApiHandler {
  let context: ApiContext | undefined;
  return async (event) => {
    context ??= contextOf();
    let request;
    try {
      request = apiRequestOf(event, context.localUser);
    } catch (error) {
      return httpApiResultOf(errorResponse(error));
    }
    return httpApiResultOf(await routeRequest(context, request));
  };
}
