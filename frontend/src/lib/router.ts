// A tiny path router: `/` (room list), `/r/:roomId` (a room) and `/r/:roomId/m/:messageId` (a room opened around
// one message: a permalink). The server answers unknown paths with the app.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname, () => '/');
}

export function roomIdFromPath(path: string): string | null {
  const m = /^\/r\/([^/]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

/** The message a permalink points at. */
export function messageIdFromPath(path: string): string | null {
  const m = /^\/r\/[^/]+\/m\/([^/]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export function permalink(roomId: string, messageId: string, origin = window.location.origin): string {
  return `${origin}/r/${encodeURIComponent(roomId)}/m/${encodeURIComponent(messageId)}`;
}
