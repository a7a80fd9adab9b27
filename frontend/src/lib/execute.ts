// GraphQL over HTTP with the session's access token: refreshed shortly before it expires and once more on
// UNAUTHENTICATED, with at most one refresh in flight (per tab, and across tabs through Web Locks), because
// refresh tokens rotate and reusing an old one ends the session. Operations go out as their hash alone (trusted
// documents: the server holds codegen's manifest, see persistedPayload).
import { RefreshTokenDocument, type RefreshTokenMutation, type TypedDocumentString } from '../gql/graphql';
import { getSession, reloadSession, setSession, type Session } from './session';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorShape[];
  readonly code: string | undefined;
  readonly field: string | undefined;
  readonly status: number;

  constructor(errors: GraphQLErrorShape[], status = 200) {
    super(errors[0]?.message ?? `request failed (${status})`);
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code;
    this.field = errors[0]?.extensions?.field;
  }
}

/** Refresh this long before the access token expires… */
export const REFRESH_MARGIN_MS = 60_000;

/** …or a quarter of the token's lifetime when tokens are short-lived, so a short TTL does not mean refreshing
 * on every request. */
export function refreshMarginMs(session: Pick<Session, 'lifetimeMs'>): number {
  return Math.min(REFRESH_MARGIN_MS, (session.lifetimeMs ?? 15 * 60_000) / 4);
}
const ENDPOINT = '/graphql';

/** A generated document: its text, and codegen's `__meta__.hash` ("sha256:<hex>") from the trusted manifest. */
type Document = { toString(): string; __meta__?: Record<string, unknown> };

/** Cleared when the server does not know a manifest hash (a client built from another commit, or a server
 * without the manifest): from then on documents go out as text. */
let hashesKnown = true;

/** The document's hash as Apollo's persisted queries spell it (hex), when codegen gave it one. */
export function documentHash(document: Document): string | undefined {
  const hash = document.__meta__?.hash;
  return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : undefined;
}

/** What names an operation in a request (HTTP body, graphql-ws `subscribe` payload): the hash alone in
 * `extensions.persistedQuery` (the server runs its manifest's text for it, and in trusted-only mode accepts
 * nothing else from the web client), or the text when the server said it does not know the hash. graphql-ws
 * wants a string `query`: an empty one stands for none. */
export function persistedPayload(document: Document): {
  query: string;
  extensions?: { persistedQuery: { version: 1; sha256Hash: string } };
} {
  const hash = documentHash(document);
  if (!hash || !hashesKnown) return { query: document.toString() };
  return { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

/** Whether the server answered that it does not know a persisted document's hash; if so, documents are sent
 * as text from now on (and the caller sends this one again). */
export function persistedMiss(errors: readonly { message?: string; extensions?: { code?: unknown } }[] | undefined): boolean {
  const miss = !!errors?.some(
    (e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' || e.message === 'PersistedQueryNotFound',
  );
  if (miss && hashesKnown) {
    hashesKnown = false;
    console.warn('the server does not know this client\'s documents: sending them as text');
  }
  return miss;
}

/** For tests: documents go out as hashes again. */
export function resetPersisted(): void {
  hashesKnown = true;
}


let inflight: Promise<string | null> | null = null;
/** Called when the session cannot be refreshed (signed out elsewhere, refresh token expired or reused). */
let onSessionLost: () => void = () => {};

export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

export function sessionFromPayload(p: {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; nickname: string };
}): Session {
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    expiresAt: Date.now() + p.expiresIn * 1000,
    lifetimeMs: p.expiresIn * 1000,
    user: { id: p.user.id, nickname: p.user.nickname },
  };
}

/** Trades the refresh token for a new pair. Concurrent callers share one request. */
export function refreshSession(): Promise<string | null> {
  if (!inflight) {
    const run = async () => {
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      return locks ? locks.request('chorus-refresh', () => doRefresh()) : doRefresh();
    };
    inflight = run().finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

async function doRefresh(): Promise<string | null> {
  const before = getSession();
  // Another tab may have refreshed while we waited for the lock: use its tokens.
  const latest = reloadSession();
  if (!latest) return null;
  if (before && latest.refreshToken !== before.refreshToken && latest.expiresAt - Date.now() > refreshMarginMs(latest)) {
    return latest.accessToken;
  }
  let response: Response;
  let body: { data?: RefreshTokenMutation; errors?: GraphQLErrorShape[] } | null;
  try {
    ({ response, body } = await send<RefreshTokenMutation>(RefreshTokenDocument, { refreshToken: latest.refreshToken }, null));
  } catch {
    // Network down: keep the session, the caller fails and retries later.
    return null;
  }
  if (body?.data?.refreshToken) {
    const next = sessionFromPayload(body.data.refreshToken);
    setSession(next);
    return next.accessToken;
  }
  if (response.status < 500) {
    setSession(null);
    onSessionLost();
  }
  return null;
}

/** The access token to use now, refreshed first when it is about to expire. */
export async function getAccessToken(): Promise<string | null> {
  const session = getSession();
  if (!session) return null;
  if (session.expiresAt - Date.now() <= refreshMarginMs(session)) {
    return refreshSession();
  }
  return session.accessToken;
}

function isUnauthenticated(errors: GraphQLErrorShape[] | undefined, status: number): boolean {
  return status === 401 || !!errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

async function postOnce(document: Document, variables: unknown, token: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const payload = { ...persistedPayload(document), variables };
  const response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(payload) });
  const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorShape[] } | null;
  return { response, body };
}

/** Posts one operation; once more as text if the server did not know its hash. */
async function send<T>(document: Document, variables: unknown, token: string | null) {
  let sent = await postOnce(document, variables, token);
  if (persistedMiss(sent.body?.errors)) sent = await postOnce(document, variables, token);
  return sent as { response: Response; body: { data?: T; errors?: GraphQLErrorShape[] } | null };
}

async function post(document: Document, variables: unknown, token: string | null) {
  const { response, body } = await send<unknown>(document, variables, token);
  return { status: response.status, body };
}

/** Runs one operation; throws {@link GraphQLRequestError} on any GraphQL error. */
export async function execute<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
): Promise<TResult> {
  let token = await getAccessToken();
  let { status, body } = await post(document, variables ?? {}, token);
  if (token && isUnauthenticated(body?.errors, status)) {
    token = await refreshSession();
    if (token) ({ status, body } = await post(document, variables ?? {}, token));
  }
  if (!body) throw new GraphQLRequestError([{ message: `The server answered ${status}` }], status);
  if (body.errors?.length) throw new GraphQLRequestError(body.errors, status);
  return body.data as TResult;
}

export function errorMessage(error: unknown): string {
  if (error instanceof GraphQLRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
