// GraphQL over HTTP with the session's access token: refreshed shortly before it expires and once more on
// UNAUTHENTICATED, with at most one refresh in flight (per tab, and across tabs through Web Locks), because
// refresh tokens rotate and reusing an old one ends the session.
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
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: RefreshTokenDocument.toString(), variables: { refreshToken: latest.refreshToken } }),
    });
  } catch {
    // Network down: keep the session, the caller fails and retries later.
    return null;
  }
  const body = (await response.json().catch(() => null)) as { data?: RefreshTokenMutation; errors?: GraphQLErrorShape[] } | null;
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

async function post(query: string, variables: unknown, token: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorShape[] } | null;
  return { status: response.status, body };
}

/** Runs one operation; throws {@link GraphQLRequestError} on any GraphQL error. */
export async function execute<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
): Promise<TResult> {
  const query = document.toString();
  let token = await getAccessToken();
  let { status, body } = await post(query, variables ?? {}, token);
  if (token && isUnauthenticated(body?.errors, status)) {
    token = await refreshSession();
    if (token) ({ status, body } = await post(query, variables ?? {}, token));
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
