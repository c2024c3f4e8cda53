// Sign-in on AWS as plain data: the Cognito hosted UI (a prefix domain), the web page's public
// client (authorization code + PKCE, no secret) and the settings the page build receives.
// infra/signIn.ts and infra/web.ts turn these into resources; test/infra checks them.

import { createHash } from 'node:crypto';

/** Where `sst dev` runs the page (Vite's default port). */
export const viteDevServerUrl = 'http://localhost:5173';

/** What the page asks for (packages/web/src/oidcSignIn.ts requests exactly these). */
export const signInScopes = ['openid', 'email', 'profile'] as const;

/**
 * The user pool's OIDC issuer: the JWT authorizer checks tokens against it and the page discovers
 * the hosted UI from it, so both use this one string.
 */
export function cognitoIssuerUrl(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The hosted UI's prefix domain (`<prefix>.auth.<region>.amazoncognito.com`). Prefixes are unique
 * per region across all AWS accounts, so a short hash of the account keeps two accounts' `dev`
 * stages apart without putting the account id in the sign-in URL.
 */
export function hostedUiDomainPrefix(app: string, stage: string, accountId: string): string {
  const account = createHash('sha256').update(accountId).digest('hex').slice(0, 8);
  const prefix = `${app}-${stage}-${account}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  if (prefix.length > 63) throw new Error(`Cognito domain prefix too long (${prefix.length} > 63): ${prefix}`);
  // Cognito refuses prefixes containing these words.
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => prefix.includes(word));
  if (reserved) throw new Error(`Cognito domain prefix may not contain "${reserved}": ${prefix} (rename the stage)`);
  return prefix;
}

/**
 * Where Cognito may send the browser back after sign-in and sign-out. The page uses
 * `origin + pathname` as its redirect URI and Cognito compares exactly, so each URL ends in `/`.
 * Non-production stages also allow the Vite dev server (`sst dev`, or Vite against a deployed stage).
 */
export function signInRedirectUrls(siteUrl: string, options: { allowDevServer: boolean }): string[] {
  const urls = [new URL(siteUrl).href];
  if (options.allowDevServer) urls.push(new URL(viteDevServerUrl).href);
  return [...new Set(urls)];
}

/**
 * The web page's user pool client (aws.cognito.UserPoolClient arguments). A browser cannot keep a
 * secret: a public client, the authorization code flow only (no implicit), PKCE by the page.
 * Generic so infra/ can pass the URLs as a Pulumi Output.
 */
export function webClientSettings<Urls>(redirectUrls: Urls) {
  return {
    generateSecret: false,
    allowedOauthFlows: ['code'],
    allowedOauthFlowsUserPoolClient: true,
    allowedOauthScopes: [...signInScopes],
    supportedIdentityProviders: ['COGNITO'],
    callbackUrls: redirectUrls,
    logoutUrls: redirectUrls,
    // SRP for Amplify-style clients, passwords for scripts; refresh tokens for both.
    explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    preventUserExistenceErrors: 'ENABLED',
  };
}

/** The Vite build's environment (packages/web/src/pageConfig.ts reads these). */
export function webPageEnvironment<Value>(settings: { apiUrl: Value; oidcAuthority: Value; oidcClientId: Value }) {
  return {
    VITE_API_URL: settings.apiUrl,
    VITE_OIDC_AUTHORITY: settings.oidcAuthority,
    VITE_OIDC_CLIENT_ID: settings.oidcClientId,
  };
}
