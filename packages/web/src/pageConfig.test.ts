import { describe, expect, it } from 'vitest';
import { pageConfigOf } from './pageConfig';

describe('pageConfigOf', () => {
  it('has no sign-in and a same-origin API without OIDC settings (local)', () => {
    expect(pageConfigOf({} as ImportMetaEnv)).toEqual({ apiBaseUrl: 'api', oidc: null });
  });

  it('enables sign-in from the OIDC issuer and client the stack passes', () => {
    expect(pageConfigOf({ VITE_OIDC_AUTHORITY: 'https://idp', VITE_OIDC_CLIENT_ID: 'c1', VITE_API_URL: 'https://api/' } as ImportMetaEnv)).toEqual({
      apiBaseUrl: 'https://api',
      oidc: { authority: 'https://idp', clientId: 'c1' },
    });
    expect(pageConfigOf({ VITE_OIDC_AUTHORITY: 'https://idp' } as ImportMetaEnv).oidc).toBeNull();
  });
});
