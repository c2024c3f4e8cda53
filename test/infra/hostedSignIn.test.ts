import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cognitoIssuerUrl,
  hostedUiDomainPrefix,
  signInRedirectUrls,
  signInScopes,
  viteDevServerUrl,
  webClientSettings,
  webPageEnvironment,
} from '@threadline/deployment/hostedSignIn';

const repo = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

describe('the web page\'s user pool client', () => {
  const urls = ['https://d111.cloudfront.net/'];
  const client = webClientSettings(urls);

  it('is a public client (no secret) on the authorization code flow only: PKCE, no implicit tokens', () => {
    expect(client.generateSecret).toBe(false);
    expect(client.allowedOauthFlows).toEqual(['code']);
    expect(client.allowedOauthFlowsUserPoolClient).toBe(true);
    expect(client.supportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('grants the scopes the page asks for', () => {
    expect(client.allowedOauthScopes).toEqual(['openid', 'email', 'profile']);
    // oidcSignIn.ts requests them as one string; a drift would make Cognito answer invalid_scope.
    expect(repo('packages/web/src/oidcSignIn.ts')).toContain(`scope: '${signInScopes.join(' ')}'`);
    expect(repo('packages/web/src/oidcSignIn.ts')).toContain(`response_type: 'code'`);
  });

  it('sends the browser back to the site only, after sign-in and after sign-out', () => {
    expect(client.callbackUrls).toEqual(urls);
    expect(client.logoutUrls).toEqual(urls);
  });
});

describe('redirect URLs', () => {
  it('end in "/" like the page\'s redirect URI (origin + pathname), which Cognito compares exactly', () => {
    expect(signInRedirectUrls('https://d111.cloudfront.net', { allowDevServer: false })).toEqual(['https://d111.cloudfront.net/']);
  });

  it('add the Vite dev server outside production, once', () => {
    expect(signInRedirectUrls('https://d111.cloudfront.net', { allowDevServer: true })).toEqual(['https://d111.cloudfront.net/', 'http://localhost:5173/']);
    expect(signInRedirectUrls(viteDevServerUrl, { allowDevServer: true })).toEqual(['http://localhost:5173/']);
  });
});

describe('hosted UI domain prefix', () => {
  it('is derived from app, stage and a hash of the account, in Cognito\'s alphabet', () => {
    const prefix = hostedUiDomainPrefix('threadline', 'pr.42', '123456789012');
    expect(prefix).toMatch(/^threadline-pr-42-[0-9a-f]{8}$/);
    expect(prefix).not.toContain('123456789012');
    expect(hostedUiDomainPrefix('threadline', 'pr.42', '123456789012')).toBe(prefix);
    expect(hostedUiDomainPrefix('threadline', 'pr.42', '210987654321')).not.toBe(prefix);
  });

  it('refuses what Cognito would refuse', () => {
    expect(() => hostedUiDomainPrefix('threadline', 'my-aws-test', '1')).toThrow(/"aws"/);
    expect(() => hostedUiDomainPrefix('threadline', 'x'.repeat(60), '1')).toThrow(/too long/);
  });
});

describe('what the page build receives', () => {
  it('the Cognito issuer as OIDC authority and the client id', () => {
    const issuer = cognitoIssuerUrl('eu-west-1', 'eu-west-1_abc');
    expect(issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc');
    expect(webPageEnvironment({ apiUrl: 'https://api', oidcAuthority: issuer, oidcClientId: 'c1' })).toEqual({
      VITE_API_URL: 'https://api',
      VITE_OIDC_AUTHORITY: issuer,
      VITE_OIDC_CLIENT_ID: 'c1',
    });
    // pageConfig.ts reads exactly these.
    const pageConfig = repo('packages/web/src/pageConfig.ts');
    for (const key of ['VITE_API_URL', 'VITE_OIDC_AUTHORITY', 'VITE_OIDC_CLIENT_ID']) expect(pageConfig).toContain(`env.${key}`);
  });

  it('infra/web.ts passes the issuer the API authorizer checks and the web client\'s id', () => {
    expect(repo('infra/web.ts')).toContain('webPageEnvironment({ apiUrl: api.url, oidcAuthority: oidcIssuer, oidcClientId: userPoolClient.id })');
    expect(repo('infra/api.ts')).toContain('issuer: oidcIssuer');
  });

  it('a deployed site is served through the router whose URL the client allows (no cycle)', () => {
    expect(repo('infra/siteUrl.ts')).toMatch(/new sst\.aws\.Router\(/);
    expect(repo('infra/web.ts')).toContain('router: { instance: siteRouter }');
    expect(repo('infra/signIn.ts')).toContain('signInRedirectUrls(url, { allowDevServer: $app.stage !== "production" })');
  });
});
