import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Sidebar } from '../components/Sidebar';
import { RoomView } from '../components/RoomView';
import { ThreadPanel } from '../components/ThreadPanel';
import { Toasts } from '../components/Toasts';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { SettingsPanel } from '../components/SettingsPanel';
import { QuickSwitcher } from '../components/QuickSwitcher';
import { SearchPanel } from '../components/SearchPanel';
import { setFaviconBadge, titleWithCount, unreadTotal } from '../lib/badge';
import { Realtime } from '../lib/realtime';
import { refreshMarginMs, refreshSession } from '../lib/execute';
import { updateSessionUser, useSession } from '../lib/session';
import { useMeQuery, useRoomsQuery } from '../lib/queries';
import { messageIdFromPath, navigate, roomIdFromPath, usePath } from '../lib/router';
import { useChat } from '../store/chat';

export function ChatShell({ meId }: { meId: string }) {
  const queryClient = useQueryClient();
  const path = usePath();
  const roomId = roomIdFromPath(path);
  const focusMessageId = messageIdFromPath(path);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [switcherOpen, setSwitcherOpen] = useState(false);
  // The search keeps its query while closed: opening it again shows the same results.
  const [searchOpen, setSearchOpen] = useState(false);
  const [searchQuery, setSearchQuery] = useState('');
  const closeSearch = useCallback(() => setSearchOpen(false), []);
  const openSearch = useCallback((query?: string) => {
    if (query !== undefined) setSearchQuery(query);
    setSwitcherOpen(false);
    setSearchOpen(true);
  }, []);
  const realtime = useRef<Realtime | null>(null);

  // A fresh store: the queries' caches go too, so every fetch runs again and hands its data to this store.
  useState(() => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'serverInfo' });
    useChat.getState().reset(meId);
  });
  const rooms = useRoomsQuery();
  useMeQuery();

  const roomMap = useChat((s) => s.rooms);
  const activeThreadId = useChat((s) => s.activeThreadId);
  const setActiveRoom = useChat((s) => s.setActiveRoom);
  const pruneTyping = useChat((s) => s.pruneTyping);

  useEffect(() => {
    const rt = new Realtime({
      onResync: () => {
        void queryClient.invalidateQueries({ queryKey: ['rooms'] });
      },
      onUnknownRoom: () => {
        void queryClient.invalidateQueries({ queryKey: ['rooms'] });
      },
      onProfile: (user) => {
        // Renamed in another tab or device: this one's session shows it too.
        if (user.id === meId) updateSessionUser({ nickname: user.nickname });
      },
    });
    realtime.current = rt;
    return () => {
      rt.stop();
      realtime.current = null;
    };
  }, [queryClient, meId]);

  const userIds = useMemo(
    // Me too: an AWAY set in another tab shows here.
    () => [...new Set([meId, ...Object.values(roomMap).flatMap((r) => r.members.map((m) => m.user.id))])],
    [roomMap, meId],
  );
  // The stream starts once the room list is held (or could not be fetched): its rooms resume from there.
  const listSettled = rooms.isSuccess || rooms.isError;
  useEffect(() => {
    if (listSettled) realtime.current?.start();
  }, [listSettled]);
  useEffect(() => realtime.current?.syncPresence(userIds), [userIds]);

  // Renew the access token shortly before it expires, so requests never wait for it.
  const session = useSession();
  const expiresAt = session?.expiresAt;
  const margin = session ? refreshMarginMs(session) : 0;
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setTimeout(() => void refreshSession(), Math.max(expiresAt - Date.now() - margin, 1_000));
    return () => clearTimeout(timer);
  }, [expiresAt, margin]);

  useEffect(() => {
    setActiveRoom(roomId);
  }, [roomId, setActiveRoom]);

  // Ctrl/Cmd+K: the quick switcher, from anywhere. Ctrl/Cmd+F: message search, in place of the browser's find
  // while the focus is in the app; pressed again in the search box, it is the browser's find.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key === 'k') {
        e.preventDefault();
        setSwitcherOpen((open) => !open);
      } else if (key === 'f') {
        const target = e.target instanceof Element ? e.target : null;
        const inApp = !target || target === document.body || !!document.getElementById('root')?.contains(target);
        if (!inApp || target?.closest('[data-search-input]')) return;
        e.preventDefault();
        openSearch();
        // Already open (the focus on a hit): back to the box.
        document.querySelector<HTMLInputElement>('[data-search-input]')?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openSearch]);

  // Unread messages in the tab title and on the favicon.
  const unread = useMemo(() => unreadTotal(Object.values(roomMap)), [roomMap]);
  useEffect(() => {
    document.title = titleWithCount(unread);
    setFaviconBadge(unread);
  }, [unread]);
  useEffect(
    () => () => {
      document.title = 'Chorus';
      setFaviconBadge(0);
    },
    [],
  );

  useEffect(() => {
    const timer = setInterval(() => pruneTyping(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [pruneTyping]);

  // A room I am no longer in (left, or a stale link): back to the list.
  useEffect(() => {
    if (roomId && rooms.isSuccess && !rooms.isFetching && !useChat.getState().rooms[roomId]) navigate('/', true);
  }, [roomId, roomMap, rooms.isSuccess, rooms.isFetching]);

  const room = roomId ? roomMap[roomId] : undefined;
  return (
    <div className={`shell${room ? ' shell--room' : ''}${activeThreadId ? ' shell--thread' : ''}`}>
      <ConnectionBanner />
      <Sidebar meId={meId} activeRoomId={roomId} loading={rooms.isPending} onOpenSettings={() => setSettingsOpen(true)} onOpenSearch={openSearch} />
      <main className="shell__main" aria-label="Conversation">
        {room ? (
          <RoomView key={room.id} room={room} meId={meId} focusMessageId={focusMessageId} onSearch={openSearch} />
        ) : (
          <div className="empty-state">
            <img src="/favicon.svg" alt="" width={56} height={56} />
            <h2>Welcome to Chorus</h2>
            <p>Pick a conversation on the left, or start a new one.</p>
          </div>
        )}
      </main>
      {room && activeThreadId ? <ThreadPanel key={activeThreadId} room={room} rootId={activeThreadId} meId={meId} /> : null}
      <Toasts />
      {switcherOpen ? <QuickSwitcher meId={meId} onClose={() => setSwitcherOpen(false)} onSearch={openSearch} /> : null}
      {searchOpen ? <SearchPanel meId={meId} query={searchQuery} onQueryChange={setSearchQuery} onClose={closeSearch} /> : null}
      {settingsOpen ? <SettingsPanel meId={meId} onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}
