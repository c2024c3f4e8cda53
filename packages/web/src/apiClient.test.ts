import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createApiClient, type TokenSource } from './apiClient';

function fakeFetch(status: number, body: unknown) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify(body), { status }));
}

function tokens(token: string | null): TokenSource & { signIn: ReturnType<typeof vi.fn> } {
  return { accessToken: async () => token, signIn: vi.fn(async () => undefined) };
}

describe('createApiClient', () => {
  it('sends the access token as a Bearer header', async () => {
    const fetch = fakeFetch(200, { ok: true });
    const api = createApiClient('https://api.example', tokens('abc.def.ghi'), fetch);
    await expect(api('/imports')).resolves.toEqual({ ok: true });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.example/imports');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer abc.def.ghi');
  });

  it('sends no Authorization header locally (no sign-in)', async () => {
    const fetch = fakeFetch(200, {});
    await createApiClient('api', null, fetch)('/me');
    expect((fetch.mock.calls[0]![1]!.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('a 401 starts sign-in and fails the call', async () => {
    const source = tokens('expired');
    const api = createApiClient('https://api.example', source, fakeFetch(401, { message: 'Unauthorized' }));
    await expect(api('/imports')).rejects.toMatchObject({ status: 401 });
    expect(source.signIn).toHaveBeenCalledOnce();
  });

  it('turns `{ error }` bodies into ApiRequestError with the server\'s message', async () => {
    const api = createApiClient('api', null, fakeFetch(400, { error: 'the export must be a .zip or a .json file' }));
    const failure = await api('/imports', { method: 'POST', body: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect(failure).toMatchObject({ status: 400, message: 'the export must be a .zip or a .json file' });
  });
});
