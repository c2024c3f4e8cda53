// What the build knows about where it runs. Locally: the API on the same origin under /api and no
// sign-in. On AWS: the API's URL and the OIDC issuer and client (the Cognito user pool and its web
// client), passed by infra/web.ts to the Vite build as VITE_OIDC_AUTHORITY / VITE_OIDC_CLIENT_ID.

export interface OidcSettings {
  authority: string;
  clientId: string;
}

export interface PageConfig {
  apiBaseUrl: string;
  /** Null: no sign-in (the local server serves everything as its configured identity). */
  oidc: OidcSettings | null;
}

export function pageConfigOf(env: ImportMetaEnv): PageConfig {
  const authority = env.VITE_OIDC_AUTHORITY;
  const clientId = env.VITE_OIDC_CLIENT_ID;
  return {
    apiBaseUrl: (env.VITE_API_URL ?? 'api').replace(/\/+$/, ''),
    oidc: authority && clientId ? { authority, clientId } : null,
  };
}
