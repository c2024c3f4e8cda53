// Sign-in: the Cognito user pool with its hosted UI (a prefix domain) and the web page's public
// client (authorization code + PKCE, no secret), redirecting back to the site only. The settings
// are core's hostedSignIn plan; the API's JWT authorizer and the page share one issuer URL.
import { cognitoIssuerUrl, hostedUiDomainPrefix, signInRedirectUrls, webClientSettings } from "../packages/deployment/src/hostedSignIn";
import { siteUrl } from "./siteUrl";
import { account } from "./workflow";

export const userPool = new sst.aws.CognitoUserPool("Users", {
  usernames: ["email"],
  domain: { prefix: account.apply((ctx) => hostedUiDomainPrefix($app.name, $app.stage, ctx.accountId)) },
});

// Production accepts only its own site; other stages also the Vite dev server.
const redirectUrls = siteUrl.apply((url) => signInRedirectUrls(url, { allowDevServer: $app.stage !== "production" }));

export const userPoolClient = userPool.addClient("Web", {
  transform: {
    client: (args) => {
      Object.assign(args, webClientSettings(redirectUrls));
    },
  },
});

/** The OIDC authority of the page and the issuer the API's authorizer accepts. */
export const oidcIssuer = $resolve([account.region, userPool.id]).apply(([region, id]) => cognitoIssuerUrl(region, id));
