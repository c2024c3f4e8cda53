// Every call to the HTTP API goes through here: the bearer token (when signed in) is attached,
// error bodies `{ error }` become ApiRequestError, and a 401 sends the user to sign in.

export interface TokenSource {
  /** The current access token, or null when there is no sign-in (locally) or none yet. */
  accessToken(): Promise<string | null>;
  /** Starts sign-in (a redirect on the real page); called when the API answers 401. */
  signIn(): Promise<void>;
}

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ApiClient = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

export function createApiClient(baseUrl: string, tokens: TokenSource | null, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = tokens ? await tokens.accessToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch {
      throw new ApiRequestError(0, 'the server cannot be reached; check your connection');
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (response.status === 401 && tokens) {
      await tokens.signIn();
      throw new ApiRequestError(401, 'your sign-in has expired; signing in again…');
    }
    if (!response.ok) {
      const message = (body as { error?: unknown } | null)?.error;
      throw new ApiRequestError(response.status, typeof message === 'string' ? message : `the server answered HTTP ${response.status}`);
    }
    return body as T;
  };
}
