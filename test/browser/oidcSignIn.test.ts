// The page's sign-in against a real OpenID provider: the built page (the AWS build, with the OIDC
// issuer and client id as VITE_OIDC_*) signs in with authorization code + PKCE, shows the user,
// sends the access token the provider issued as Bearer to the API, goes back to sign-in on a 401,
// and signs out at the provider. The API is not faked behind a server: Playwright intercepts the page's requests to it and
// records what the page sends (the real authorizer is API Gateway's, tested on AWS).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Route } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browserLaunch';
import { listenLocalOidcProvider, type LocalOidcProvider } from './localOidcProvider';
import { serveStaticFiles, type StaticFiles } from './staticFiles';

const webPackage = fileURLToPath(new URL('../../packages/web', import.meta.url));
// Another origin, as on AWS (API Gateway vs CloudFront); never resolved, Playwright answers.
const apiUrl = 'https://api.threadline.test';
const clientId = 'threadline-web';
const user = { login: 'ada', email: 'ada@example.com' };

let workDir: string;
let provider: LocalOidcProvider;
let site: StaticFiles;
let browser: Browser;
let page: Page;

/** What the page sent to the API, and whether the next call is answered 401. */
const apiCalls: { path: string; authorization: string | undefined }[] = [];
let answerNextWithUnauthorized = false;

async function answerApi(route: Route): Promise<void> {
  const request = route.request();
  const url = new URL(request.url());
  apiCalls.push({ path: `${url.pathname}${url.search}`, authorization: request.headers().authorization });
  const cors = { 'access-control-allow-origin': site.origin, 'content-type': 'application/json' };
  if (answerNextWithUnauthorized) {
    answerNextWithUnauthorized = false;
    await route.fulfill({ status: 401, headers: cors, body: JSON.stringify({ message: 'Unauthorized' }) });
    return;
  }
  const body = url.pathname === '/activity' ? { months: [] } : { items: [], cursor: null };
  await route.fulfill({ status: 200, headers: cors, body: JSON.stringify(body) });
}

/** Resolves with the access token of the next token response the page receives. */
function nextIssuedAccessToken(): Promise<string> {
  return page
    .waitForResponse((response) => response.url() === `${provider.issuer}/token` && response.request().method() === 'POST', { timeout: 15_000 })
    .then(async (response) => ((await response.json()) as { access_token: string }).access_token);
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'threadline-oidc-'));
  provider = await listenLocalOidcProvider();
  // The AWS build: Vite reads VITE_* from the environment, as when SST runs `npm run build`.
  const settings = { VITE_API_URL: apiUrl, VITE_OIDC_AUTHORITY: provider.issuer, VITE_OIDC_CLIENT_ID: clientId };
  Object.assign(process.env, settings);
  try {
    await build({ root: webPackage, logLevel: 'warn', build: { outDir: join(workDir, 'web'), emptyOutDir: true } });
  } finally {
    for (const key of Object.keys(settings)) delete process.env[key];
  }
  site = await serveStaticFiles(join(workDir, 'web'));
  provider.start({ clientId, pageOrigin: site.origin, user });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.route(`${apiUrl}/**`, answerApi);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await provider?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('sign-in through OpenID Connect (authorization code + PKCE)', () => {
  let accessToken: string;

  it('sends an unsigned-in visitor to the provider with a PKCE challenge, and back signed in', async () => {
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${provider.issuer}/auth?`));
    await page.goto(site.origin);
    const query = new URL((await authorize).url()).searchParams;
    expect(Object.fromEntries(['client_id', 'response_type', 'scope', 'redirect_uri', 'code_challenge_method'].map((key) => [key, query.get(key)]))).toEqual({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: `${site.origin}/`,
      code_challenge_method: 'S256',
    });
    expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The provider's own sign-in and consent pages (the hosted UI's part).
    await page.fill('input[name=login]', user.login);
    await page.fill('input[name=password]', 'any password');
    await page.click('button[type=submit]');
    const issued = nextIssuedAccessToken();
    await page.click('button[type=submit]:has-text("Continue")');
    accessToken = await issued;

    await page.waitForURL(`${site.origin}/#/`);
    await expect.poll(() => page.textContent('#identity')).toBe(`${user.email} Sign out`);
  });

  it('calls the API with the access token the provider issued, as Bearer', async () => {
    await expect.poll(() => apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.map((call) => call.path)).toContain('/imports?limit=20');
    for (const call of apiCalls) expect(call.authorization, call.path).toBe(`Bearer ${accessToken}`);
  });

  it('goes back to sign-in when the API answers 401, and returns signed in with a new token', async () => {
    answerNextWithUnauthorized = true;
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${provider.issuer}/auth?`));
    const issued = nextIssuedAccessToken();
    apiCalls.length = 0;
    await page.goto(`${site.origin}/#/conversations`);
    expect(new URL((await authorize).url()).searchParams.get('client_id')).toBe(clientId);
    // The provider still has a session and a grant: no form this time, straight back with a code.
    const renewed = await issued;
    expect(renewed).not.toBe(accessToken);
    await expect.poll(() => page.textContent('#identity')).toBe(`${user.email} Sign out`);
    await expect.poll(() => apiCalls.some((call) => call.authorization === `Bearer ${renewed}`)).toBe(true);
    expect(apiCalls[0]).toMatchObject({ path: expect.stringMatching(/^\/conversations\?/), authorization: `Bearer ${accessToken}` });
  });

  it('signs out at the provider (with what Cognito\'s /logout needs) and then asks to sign in again', async () => {
    const endSession = page.waitForRequest((request) => request.url().startsWith(`${provider.issuer}/session/end?`));
    await page.click('#identity button:has-text("Sign out")');
    const query = new URL((await endSession).url()).searchParams;
    expect(query.get('client_id')).toBe(clientId);
    expect(query.get('logout_uri')).toBe(`${site.origin}/`);
    expect(query.get('post_logout_redirect_uri')).toBe(`${site.origin}/`);
    await page.click('button[name=logout][value=yes]');
    // Back on the page without a user: straight to the provider, whose session is gone.
    await page.waitForSelector('input[name=login]');
    expect(page.url().startsWith(provider.issuer)).toBe(true);
  });
});
