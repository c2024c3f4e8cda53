// Sign-in on AWS: the Cognito hosted UI through OpenID Connect, authorization code with PKCE
// (oidc-client-ts does the protocol: state, nonce, code verifier, token exchange, renewal).

import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { TokenSource } from './apiClient';
import type { OidcSettings } from './pageConfig';

export interface OidcSignIn extends TokenSource {
  /** Completes a redirect back from the identity provider, if this page load is one. */
  completeRedirect(): Promise<void>;
  /** The signed-in user's e-mail or name, or null. */
  displayName(): Promise<string | null>;
  signOut(): Promise<void>;
}

export function createOidcSignIn(settings: OidcSettings, location: Location = window.location): OidcSignIn {
  const redirectUri = `${location.origin}${location.pathname}`;
  const manager = new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: redirectUri,
    post_logout_redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    // Tokens live for this tab only: nothing lingers in localStorage after the tab closes.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
  return {
    async completeRedirect() {
      const params = new URLSearchParams(location.search);
      if (!params.has('code') || !params.has('state')) return;
      await manager.signinRedirectCallback();
      // Drop code and state from the address bar (and from history).
      window.history.replaceState(null, '', `${location.pathname}${location.hash || '#/'}`);
    },
    async accessToken() {
      const user = await manager.getUser();
      if (!user || user.expired) return null;
      return user.access_token;
    },
    async signIn() {
      await manager.signinRedirect({ state: location.hash });
    },
    async displayName() {
      const user = await manager.getUser();
      return (user?.profile.email as string | undefined) ?? user?.profile.name ?? null;
    },
    async signOut() {
      await manager.removeUser();
      // Cognito's /logout wants client_id (sent: no id_token_hint once the user is removed) and
      // logout_uri, not the standard post_logout_redirect_uri alone.
      await manager.signoutRedirect({ extraQueryParams: { logout_uri: redirectUri } }).catch(() => undefined);
    },
  };
}
