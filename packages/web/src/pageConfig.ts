// What the build knows about where it runs. Locally: the API on the same origin under /api and no
// sign-in. On AWS: the API's URL and the Cognito user pool, from sst.config.ts at build time.

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
  const authority =
    env.VITE_OIDC_AUTHORITY ??
    (env.VITE_USER_POOL_ID && env.VITE_REGION ? `https://cognito-idp.${env.VITE_REGION}.amazonaws.com/${env.VITE_USER_POOL_ID}` : undefined);
  const clientId = env.VITE_OIDC_CLIENT_ID ?? env.VITE_USER_POOL_CLIENT_ID;
  return {
    apiBaseUrl: (env.VITE_API_URL ?? 'api').replace(/\/+$/, ''),
    oidc: authority && clientId ? { authority, clientId } : null,
  };
}
