// My read marker in the open room: moved forward while the newest messages are on screen (tab visible, reader
// at the bottom), and the "New messages" divider where I had stopped reading when I opened the room.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { markRead } from '../lib/actions';
import { useChat } from '../store/chat';
import { firstUnreadId, myLastReadSeq, type Message, type Room } from '../store/merge';

export interface ReadMarkerOptions {
  room: Room;
  meId: string;
  /** The messages on screen, oldest first. */
  messages: readonly Message[];
  /** The newest message of the room is loaded. */
  atEnd: boolean;
  /** The history has its first page. */
  loaded: boolean;
  /** My marker when the room was opened. */
  readMarker: number;
  /** Whether the reader is at the bottom of the history now. */
  isAtBottom(): boolean;
}

export function useReadMarker({ room, meId, messages, atEnd, loaded, readMarker, isAtBottom }: ReadMarkerOptions) {
  const lastReal = useMemo(() => [...messages].reverse().find((m) => !m.local), [messages]);

  /** Marks the newest message on screen read when the reader can see it. */
  const readIfVisible = useCallback(() => {
    if (!lastReal || document.hidden || !isAtBottom()) return;
    const current = useChat.getState().rooms[room.id] ?? room;
    if (myLastReadSeq(current, meId) >= lastReal.seq && (current.unreadCount === 0 || !atEnd)) return;
    void markRead(room.id, lastReal);
  }, [lastReal, room, meId, atEnd, isAtBottom]);

  useEffect(() => {
    readIfVisible();
    const onVisible = () => readIfVisible();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [readIfVisible]);

  // The divider does not move while I read (messages arriving while I watch need no divider): it is pinned
  // once the first page shows.
  const [pinnedDivider, setPinnedDivider] = useState<string | null | undefined>(undefined);
  const candidate = useMemo(() => firstUnreadId(messages, readMarker, meId), [messages, readMarker, meId]);
  const firstUnread = pinnedDivider !== undefined ? pinnedDivider : loaded && messages.length > 0 ? candidate : undefined;
  useEffect(() => {
    if (pinnedDivider === undefined && firstUnread !== undefined) setPinnedDivider(firstUnread);
  }, [pinnedDivider, firstUnread]);

  /** "Mark as read": everything up to the room's newest message. */
  const markAllRead = useCallback(() => {
    const last = useChat.getState().rooms[room.id]?.lastMessage ?? lastReal;
    if (last) void markRead(room.id, last);
  }, [room.id, lastReal]);

  return { firstUnread, readIfVisible, markAllRead };
}
