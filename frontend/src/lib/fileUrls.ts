// File URLs (`/files/{key}?exp=…&viewer=…&sig=…`) are signed per viewer and expire after minutes, so the client
// never keeps one beyond a fresh query result: an image that fails to load asks for fresh copies of what is on
// screen (my profile, the room list, the open room's history and thread) and retries once with the new URL.
import { useState } from 'react';
import { useChat } from '../store/chat';
import { queryClient } from './queryClient';

/** Least time between two refreshes: a screen full of expired images triggers one round of queries. */
export const REFRESH_GAP_MS = 5_000;

let inflight: Promise<void> | null = null;
let lastRun = 0;

/** Refetches the queries that carry the file URLs on screen. Concurrent and rapid calls share one round. */
export function refreshFileUrls(now = Date.now()): Promise<void> {
  if (inflight) return inflight;
  if (now - lastRun < REFRESH_GAP_MS) return Promise.resolve();
  lastRun = now;
  const { activeRoomId, activeThreadId } = useChat.getState();
  const keys: unknown[][] = [['me'], ['rooms']];
  if (activeRoomId) keys.push(['messages', activeRoomId]);
  if (activeThreadId) keys.push(['thread', activeThreadId]);
  inflight = Promise.all(keys.map((queryKey) => queryClient.refetchQueries({ queryKey, type: 'active' })))
    .then(() => undefined)
    .catch(() => undefined)
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/** Seconds since the epoch after which a signed file URL stops working (null when it carries no expiry). */
export function urlExpiry(url: string): number | null {
  const m = /[?&]exp=(\d+)/.exec(url);
  return m ? Number(m[1]) : null;
}

/**
 * One signed image: the `src` to render (null while a refresh is under way or once the image failed again
 * after one) with its `onError`/`onLoad` handlers. The first failure refreshes the URLs on screen; the next URL
 * the queries bring is tried, and a second failure in a row sticks. A successful load resets the count, so an
 * image on screen for hours may expire and be refreshed many times.
 */
export function useSignedSrc(url: string | null | undefined): {
  src: string | null;
  onError: () => void;
  onLoad: () => void;
} {
  const [refreshed, setRefreshed] = useState(false);
  const [broken, setBroken] = useState<string | null>(null);
  const onError = () => {
    if (!url) return;
    setBroken(url);
    if (refreshed) return;
    setRefreshed(true);
    // Whatever URL the refreshed queries hold now (a new one, or the same when it had not expired) gets one
    // more try; a failure after that sticks.
    void refreshFileUrls().then(() => setBroken(null));
  };
  const onLoad = () => setRefreshed(false);
  return { src: url && url !== broken ? url : null, onError, onLoad };
}
