// Sign-in (Cognito user pool + a public client for the web page) and the HTTP API: every route
// goes to one handler behind a JWT authorizer; the handler takes the user id from the verified
// claims only.
import { apiRoutes } from "../packages/core/src/infra/deploymentPlan";
import { executionViewerPermission } from "../packages/core/src/infra/workflowPolicies";
import { account, importFunction, workflowArn, workflowName } from "./workflow";

export const userPool = new sst.aws.CognitoUserPool("Users", {
  usernames: ["email"],
});

export const userPoolClient = userPool.addClient("Web", {
  transform: {
    client: (args) => {
      // A browser app: no client secret; SRP sign-in (and password sign-in for scripts), refresh tokens.
      args.generateSecret = false;
      args.explicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
      args.preventUserExistenceErrors = "ENABLED";
    },
  },
});

export const httpApiFunction = importFunction("httpApi", {
  permissions: account.apply((ctx) => [executionViewerPermission(ctx, workflowName)]),
});
// The execution view derives `execution:<name>:<importId>` from it (executions are named after imports).
httpApiFunction.addEnvironment({ THREADLINE_WORKFLOW_ARN: workflowArn });

export const api = new sst.aws.ApiGatewayV2("Api", {
  // Bearer tokens, no cookies: any origin may call; the authorizer decides.
  cors: { allowOrigins: ["*"], allowHeaders: ["authorization", "content-type"], allowMethods: ["GET", "POST", "DELETE"] },
});

const authorizer = api.addAuthorizer({
  name: "CognitoJwt",
  jwt: {
    issuer: $interpolate`https://cognito-idp.${account.region}.amazonaws.com/${userPool.id}`,
    audiences: [userPoolClient.id],
  },
});

for (const route of apiRoutes) {
  api.route(route, httpApiFunction.arn, { auth: { jwt: { authorizer: authorizer.id } } });
}
