// The signed-in session (tokens and who I am), kept in localStorage so a reload or a second tab stays signed in.
import { useSyncExternalStore } from 'react';

/** Who I am. No avatar URL: file URLs are signed for minutes, so they are read from fresh queries (`me`). */
export interface SessionUser {
  id: string;
  nickname: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  /** How long access tokens of this server live, in ms (absent in sessions stored by older versions). */
  lifetimeMs?: number;
  user: SessionUser;
}

const KEY = 'chorus.session';
const listeners = new Set<() => void>();
let current: Session | null = load();

function load(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

/** Re-reads the stored session (another tab may have refreshed the tokens). */
export function reloadSession(): Session | null {
  const stored = load();
  if (JSON.stringify(stored) !== JSON.stringify(current)) {
    current = stored;
    emit();
  }
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  try {
    if (session) globalThis.localStorage?.setItem(KEY, JSON.stringify(session));
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    // storage full or disabled: the session lives in memory only
  }
  emit();
}

export function updateSessionUser(user: Partial<SessionUser>): void {
  if (current) setSession({ ...current, user: { ...current.user, ...user } });
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) reloadSession();
  });
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}
