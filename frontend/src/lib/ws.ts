// The graphql-ws client: lazy, keep-alive pings every 10 s, the current access token in `connectionParams`
// (re-read on every connect), reconnects forever with capped exponential back-off and jitter.
import { createClient, type Client } from 'graphql-ws';
import { getAccessToken, refreshSession } from './execute';

export interface SocketEvents {
  connecting(): void;
  connected(wasRetry: boolean): void;
  closed(code: number | undefined): void;
}

/** Back-off before reconnect attempt `retries` (0-based): 0.5 s doubling up to 15 s, with jitter. */
export function backoffMs(retries: number, random = Math.random): number {
  const base = Math.min(500 * 2 ** retries, 15_000);
  return Math.round(base / 2 + (random() * base) / 2);
}

export function wsUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql/ws`;
}

export function createSocket(events: SocketEvents): Client {
  let forceRefresh = false;
  return createClient({
    url: wsUrl(),
    lazy: true,
    lazyCloseTimeout: 1_000,
    keepAlive: 10_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    connectionParams: async () => {
      const token = forceRefresh ? await refreshSession() : await getAccessToken();
      forceRefresh = false;
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => events.connecting(),
      connected: (_socket, _payload, wasRetry) => events.connected(!!wasRetry),
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        // 4403: the token expired on the open socket, or was refused: get a fresh one before reconnecting.
        if (code === 4403 || code === 4401) forceRefresh = true;
        events.closed(code);
      },
    },
  });
}
