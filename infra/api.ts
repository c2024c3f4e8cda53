// The HTTP API: every route goes to one handler behind a JWT authorizer that accepts the web
// client's tokens from the user pool (infra/signIn.ts); the handler takes the user id from the
// verified claims only.
import { apiRoutes } from "../packages/deployment/src/deploymentPlan";
import { importRetryPermissions } from "../packages/deployment/src/workflowPolicies";
import { oidcIssuer, userPoolClient } from "./signIn";
import { account, importFunction, workflowName } from "./workflow";

// The workflow's ARN and read access to its executions come with the ImportWorkflowReader link
// (the execution view derives `execution:<name>:<importId>` from it); retrying is the API's own.
export const httpApiFunction = importFunction("httpApi", {
  permissions: account.apply((ctx) => importRetryPermissions(ctx, workflowName)),
});

export const api = new sst.aws.ApiGatewayV2("Api", {
  // Bearer tokens, no cookies: any origin may call; the authorizer decides.
  cors: { allowOrigins: ["*"], allowHeaders: ["authorization", "content-type"], allowMethods: ["GET", "POST", "DELETE"] },
});

const authorizer = api.addAuthorizer({
  name: "CognitoJwt",
  jwt: {
    issuer: oidcIssuer,
    audiences: [userPoolClient.id],
  },
});

for (const route of apiRoutes) {
  api.route(route, httpApiFunction.arn, { auth: { jwt: { authorizer: authorizer.id } } });
}
