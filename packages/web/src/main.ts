// Boot: sign-in (on AWS), the API client, and a hash router over the views.

import './styles.css';
import { createApiClient, type TokenSource } from './apiClient';
import type { ApiResponseBodies } from '@threadline/core/httpApi/apiResponses';
import { el } from './element';
import { pageConfigOf } from './pageConfig';
import type { View, ViewContext } from './view';
import { conversationPage } from './views/conversationPage';
import { conversationsPage } from './views/conversationsPage';
import { executionPage } from './views/executionPage';
import { importPage } from './views/importPage';
import { importsPage } from './views/importsPage';
import { searchPage } from './views/searchPage';

const config = pageConfigOf(import.meta.env);
const main = document.getElementById('main')!;
const identity = document.getElementById('identity')!;

async function boot(): Promise<void> {
  let tokens: TokenSource | null = null;
  if (config.oidc) {
    // Loaded only where sign-in exists: the local page never downloads the OIDC client.
    const { createOidcSignIn } = await import('./oidcSignIn');
    const signIn = createOidcSignIn(config.oidc);
    await signIn.completeRedirect();
    if (!(await signIn.accessToken())) {
      identity.textContent = 'Signing in…';
      await signIn.signIn();
      return;
    }
    const signOut = el('button', { type: 'button', class: 'link' }, 'Sign out');
    signOut.addEventListener('click', () => void signIn.signOut());
    identity.replaceChildren((await signIn.displayName()) ?? 'Signed in', ' ', signOut);
    tokens = signIn;
  }
  const api = createApiClient(config.apiBaseUrl, tokens);
  if (!config.oidc) {
    void api<ApiResponseBodies['GET /me']>('/me').then(
      (me) => {
        identity.textContent = me.local ? `Local identity: ${me.userId}` : me.userId;
      },
      () => undefined,
    );
  }

  let current: View | null = null;
  const ctx: ViewContext = {
    api,
    navigate: (hash) => {
      if (window.location.hash === hash) render();
      else window.location.hash = hash;
    },
  };
  const render = () => {
    current?.dispose?.();
    const hash = window.location.hash.replace(/^#/, '') || '/';
    const [path = '/', search = ''] = hash.split('?');
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    current = route(ctx, segments, new URLSearchParams(search));
    main.replaceChildren(current.element);
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
      const active = link.dataset.nav === (segments[0] === 'conversations' || segments[0] === 'search' ? segments[0] : 'imports');
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };
  window.addEventListener('hashchange', () => {
    render();
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  });
  render();
}

function route(ctx: ViewContext, segments: string[], query: URLSearchParams): View {
  const [section, id, sub] = segments;
  if (section === 'imports' && id && sub === 'execution') return executionPage(ctx, id);
  if (section === 'imports' && id) return importPage(ctx, id);
  if (section === 'conversations' && id) return conversationPage(ctx, id, messagePosition(query.get('message')));
  if (section === 'search') return searchPage(ctx, query);
  if (section === 'conversations') return conversationsPage(ctx, query.get('q') ?? '');
  return importsPage(ctx);
}

function messagePosition(value: string | null): number | null {
  const position = value === null ? NaN : Number(value);
  return Number.isInteger(position) && position >= 0 ? position : null;
}

boot().catch((error: unknown) => {
  main.replaceChildren(el('p', { class: 'error' }, `Threadline could not start: ${(error as Error).message}`));
});
