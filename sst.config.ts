/// <reference path="./.sst/platform/config.d.ts" />

// Threadline on AWS: `npx sst deploy --stage <name>`, `npx sst dev`, `npx sst remove --stage <name>`.
// The resources live in infra/*.ts (storage → workflow → siteUrl → signIn → api → web); their shapes and IAM
// documents are pure data in packages/core/src/infra/, unit-tested in test/infra/.
export default $config({
  app(input) {
    return {
      name: "threadline",
      // Keep the data of production stages when the stack is removed; throwaway stages go entirely.
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      home: "aws",
    };
  },
  async run() {
    await import("./infra/storage");
    const { stateMachine, account } = await import("./infra/workflow");
    const { userPool } = await import("./infra/signIn");
    const { api } = await import("./infra/api");
    const { site } = await import("./infra/web");
    const { stateMachineConsoleUrl } = await import("./packages/deployment/src/awsArns");

    return {
      site: site.url,
      api: api.url,
      // The Cognito hosted UI (sign-in, sign-up, password reset).
      signIn: userPool.domainUrl,
      stateMachine: stateMachine.arn,
      console: $resolve([account.region, stateMachine.arn]).apply(([region, arn]) => stateMachineConsoleUrl(region, arn)),
    };
  },
});
