// A real OpenID provider (panva's oidc-provider) in-process, standing in for the Cognito hosted UI:
// one public client that must use PKCE, redirecting only to the page's origin, and one test user.
// Its issuer must be known before the page is built and the page's origin before the client is
// registered, so the port is taken first and the provider attached once the page is served.

import http from 'node:http';
import Provider from 'oidc-provider';

export interface TestUser {
  login: string;
  email: string;
}

export interface LocalOidcProvider {
  issuer: string;
  /** Registers the page's public client and starts answering. */
  start(client: { clientId: string; pageOrigin: string; user: TestUser }): void;
  close(): Promise<void>;
}

export async function listenLocalOidcProvider(): Promise<LocalOidcProvider> {
  const server = http.createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer,
    start({ clientId, pageOrigin, user }) {
      const redirectUri = `${pageOrigin}/`;
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            // Public: a browser cannot keep a secret (Cognito: generateSecret false).
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code'],
            response_types: ['code'],
            redirect_uris: [redirectUri],
            post_logout_redirect_uris: [redirectUri],
          },
        ],
        pkce: { required: () => true },
        scopes: ['openid', 'email', 'profile'],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        // Cognito puts the profile claims in the ID token, which is where the page reads them.
        conformIdTokenClaims: false,
        // The page calls the token endpoint from its own origin.
        clientBasedCORS: (_ctx, origin) => origin === pageOrigin,
        // Any login and password on the built-in pages signs in as the test user.
        findAccount: async (_ctx, sub) => ({
          accountId: sub,
          claims: async () => ({ sub, email: user.email, email_verified: true, name: user.login }),
        }),
        features: { devInteractions: { enabled: true } },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600 },
        cookies: { keys: ['threadline-browser-test'] },
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
