import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeDocument, RefreshTokenDocument } from '../gql/graphql';
import manifest from '../gql/persisted-documents.json';
import {
  documentHash,
  execute,
  getAccessToken,
  GraphQLRequestError,
  REFRESH_MARGIN_MS,
  resetPersisted,
} from './execute';
import { getSession, setSession } from './session';

interface Body {
  query?: string;
  variables: Record<string, unknown>;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}
type Handler = (body: Body, headers: Record<string, string>) => unknown;

function mockFetch(handler: Handler) {
  const fn = vi.fn(async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    const result = await handler(body, init.headers as Record<string, string>);
    return new Response(JSON.stringify(result), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

const me = { me: { email: 'a@example.com', notificationsEnabled: true, user: { id: 'u1', nickname: 'alice', isBot: false, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } } } };

function refreshed(n: number) {
  return {
    data: {
      refreshToken: {
        accessToken: `access-${n}`,
        refreshToken: `refresh-${n}`,
        expiresIn: 900,
        user: { id: 'u1', nickname: 'alice', isBot: false, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } },
      },
    },
  };
}

const isRefresh = (body: Body) =>
  body.extensions?.persistedQuery?.sha256Hash === documentHash(RefreshTokenDocument) ||
  !!body.query?.includes('refreshToken(refreshToken');

beforeEach(() => {
  setSession({
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    expiresAt: Date.now() + 10 * 60_000,
    user: { id: 'u1', nickname: 'alice' },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
  resetPersisted();
});

describe('execute and token refresh', () => {
  it('sends the access token', async () => {
    const fetch = mockFetch(() => ({ data: me }));
    await expect(execute(MeDocument)).resolves.toEqual(me);
    expect((fetch.mock.calls[0][1].headers as Record<string, string>).authorization).toBe('Bearer access-0');
  });

  it('refreshes once on UNAUTHENTICATED, for many requests at a time, and retries them', async () => {
    let refreshes = 0;
    const fetch = mockFetch(async (body, headers) => {
      if (isRefresh(body)) {
        refreshes++;
        expect(body.variables.refreshToken).toBe('refresh-0');
        await new Promise((r) => setTimeout(r, 20));
        return refreshed(1);
      }
      if (headers.authorization === 'Bearer access-0') {
        return { data: null, errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] };
      }
      return { data: me };
    });
    const results = await Promise.all([execute(MeDocument), execute(MeDocument), execute(MeDocument)]);
    expect(results).toEqual([me, me, me]);
    expect(refreshes).toBe(1);
    expect(getSession()?.refreshToken).toBe('refresh-1');
    expect(fetch).toHaveBeenCalledTimes(7); // 3 refused + 1 refresh + 3 retried
  });

  it('refreshes short-lived tokens a quarter of their lifetime before expiry, not on every request', async () => {
    let refreshes = 0;
    mockFetch((body) => {
      if (isRefresh(body)) {
        refreshes++;
        return refreshed(3);
      }
      return { data: me };
    });
    setSession({ ...getSession()!, lifetimeMs: 20_000, expiresAt: Date.now() + 10_000 });
    expect(await getAccessToken()).not.toBe('access-3');
    expect(refreshes).toBe(0);
    setSession({ ...getSession()!, lifetimeMs: 20_000, expiresAt: Date.now() + 4_000 });
    expect(await getAccessToken()).toBe('access-3');
    expect(refreshes).toBe(1);
  });

  it('refreshes before the access token expires', async () => {
    setSession({ ...getSession()!, expiresAt: Date.now() + REFRESH_MARGIN_MS / 2 });
    let refreshes = 0;
    mockFetch((body) => {
      if (isRefresh(body)) {
        refreshes++;
        return refreshed(2);
      }
      return { data: me };
    });
    const [a, b] = await Promise.all([getAccessToken(), getAccessToken()]);
    expect(a).toBe('access-2');
    expect(b).toBe('access-2');
    expect(refreshes).toBe(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    mockFetch((body) =>
      isRefresh(body)
        ? { data: null, errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }] }
        : { data: null, errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] },
    );
    await expect(execute(MeDocument)).rejects.toBeInstanceOf(GraphQLRequestError);
    expect(getSession()).toBeNull();
  });

  it('exposes the code and field of the first error', async () => {
    mockFetch(() => ({ data: null, errors: [{ message: 'taken', extensions: { code: 'BAD_USER_INPUT', field: 'nickname' } }] }));
    const err = await execute(MeDocument).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect((err as GraphQLRequestError).code).toBe('BAD_USER_INPUT');
    expect((err as GraphQLRequestError).field).toBe('nickname');
  });
});

describe('trusted documents', () => {
  it('sends the hash alone, which the manifest the server builds in maps to the document', async () => {
    const fetch = mockFetch(() => ({ data: me }));
    await execute(MeDocument);
    const body = JSON.parse(fetch.mock.calls[0][1].body as string) as Body;
    const hash = body.extensions?.persistedQuery?.sha256Hash;
    expect(body.query).toBe('');
    expect(body.extensions?.persistedQuery?.version).toBe(1);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const text = (manifest as Record<string, string>)[`sha256:${hash}`];
    expect(text).toContain('query Me');
    // The hash is the SHA-256 of that text (what the server checks).
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    expect([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(hash);
  });

  it('sends the refresh token mutation as a hash too', async () => {
    setSession({ ...getSession()!, expiresAt: Date.now() + 1_000 });
    const fetch = mockFetch((body) => (isRefresh(body) ? refreshed(3) : { data: me }));
    await execute(MeDocument);
    const bodies = fetch.mock.calls.map((c) => JSON.parse(c[1].body as string) as Body);
    expect(bodies.every((b) => b.query === '' && b.extensions?.persistedQuery)).toBe(true);
    expect(bodies.some(isRefresh)).toBe(true);
  });

  it('sends the text when the server does not know the hash, and from then on', async () => {
    const fetch = mockFetch((body) =>
      body.query
        ? { data: me }
        : { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    );
    await expect(execute(MeDocument)).resolves.toEqual(me);
    await expect(execute(MeDocument)).resolves.toEqual(me);
    const bodies = fetch.mock.calls.map((c) => JSON.parse(c[1].body as string) as Body);
    expect(bodies.map((b) => !!b.query)).toEqual([false, true, true]);
    expect(bodies[1].query).toBe(MeDocument.toString());
    expect(bodies[1].extensions).toBeUndefined();
  });
});
