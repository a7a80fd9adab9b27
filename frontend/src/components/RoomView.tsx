import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { editLastMessage } from '../lib/actions';
import { anchorKey, inWindow, useHistory, type HistoryAnchor } from '../lib/queries';
import { dayKey, dayLabel, minutesBetween } from '../lib/time';
import { useReadMarker } from '../hooks/useReadMarker';
import { useScrollAnchor } from '../hooks/useScrollAnchor';
import { useChat } from '../store/chat';
import {
  emptyList,
  myLastReadSeq,
  roomTitle,
  seenBy,
  typingLabel,
  typingNames,
  type Message,
  type Room,
} from '../store/merge';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { RoomHeader } from './RoomHeader';
import { Icon } from './Icons';
import { BROADCASTS } from '../lib/mentions';

const EMPTY = emptyList();

const GROUP_WINDOW_MIN = 5;

/** Where the room opens: a permalinked message, the first unread, or the newest message. */
export function initialAnchor(room: Room, meId: string, focusMessageId: string | null): HistoryAnchor {
  if (focusMessageId) return { kind: 'message', id: focusMessageId };
  if (room.unreadCount > 0) return { kind: 'seq', seq: myLastReadSeq(room, meId) + 1 };
  return { kind: 'latest' };
}

export function RoomView({
  room,
  meId,
  focusMessageId = null,
  onSearch,
}: {
  room: Room;
  meId: string;
  focusMessageId?: string | null;
  /** Opens the message search with this query (the header's search button). */
  onSearch?(query: string): void;
}) {
  const [readMarker] = useState(() => myLastReadSeq(room, meId));
  const [anchor, setAnchor] = useState<HistoryAnchor>(() => initialAnchor(room, meId, focusMessageId));
  // A permalink followed while the room is open re-centres the history on that message.
  const lastFocus = useRef(focusMessageId);
  useEffect(() => {
    if (focusMessageId && focusMessageId !== lastFocus.current) setAnchor({ kind: 'message', id: focusMessageId });
    lastFocus.current = focusMessageId;
  }, [focusMessageId]);
  // Broadcast mentions are highlighted like names in a group room, where they notify.
  const memberNames = useMemo(
    () => [...room.members.map((m) => m.user.nickname), ...(room.isGroup ? BROADCASTS.map((b) => b.nickname) : [])],
    [room.members, room.isGroup],
  );
  const title = roomTitle(room, meId);

  return (
    <section className="room" aria-label={title}>
      <RoomHeader room={room} meId={meId} onSearch={onSearch} />
      <RoomHistory
        key={anchorKey(anchor)}
        room={room}
        meId={meId}
        title={title}
        memberNames={memberNames}
        anchor={anchor}
        readMarker={readMarker}
        onAnchor={setAnchor}
      />
      <Composer
        roomId={room.id}
        meId={meId}
        onEditLast={() => editLastMessage(room.id)}
        members={room.members}
        isGroup={room.isGroup}
        placeholder={`Message ${room.isGroup ? `# ${title}` : title}`}
        autoFocus
      />
    </section>
  );
}

interface RoomHistoryProps {
  room: Room;
  meId: string;
  title: string;
  memberNames: string[];
  anchor: HistoryAnchor;
  readMarker: number;
  onAnchor(anchor: HistoryAnchor): void;
}

/** The scrolling history of one anchor (see `useScrollAnchor` for how it grows and keeps the reader's place). */
function RoomHistory({ room, meId, title, memberNames, anchor, readMarker, onAnchor }: RoomHistoryProps) {
  const history = useHistory(room.id, anchor);
  const list = useChat((s) => s.messages[room.id]) ?? EMPTY;
  const typingInRoom = useChat((s) => s.typing[room.id]);
  const typing = useMemo(
    () => typingLabel(typingNames({ typing: { [room.id]: typingInRoom ?? {} } }, room.id, Date.now())),
    [typingInRoom, room.id],
  );
  const [barDismissed, setBarDismissed] = useState(false);
  const span = history.span;
  const atEnd = span?.atEnd ?? false;

  const all = useMemo(() => list.ids.map((id) => list.byId[id]), [list]);
  const messages = useMemo(() => inWindow(all, span), [all, span]);
  const myRole = room.members.find((m) => m.user.id === meId)?.role;
  const canModerate = myRole === 'OWNER' || myRole === 'ADMIN';
  const focusId = anchor.kind === 'message' ? anchor.id : null;
  const focusRowId = useMemo(() => {
    if (!focusId) return null;
    if (messages.some((m) => m.id === focusId)) return focusId;
    // A permalinked thread reply: its root is in the history.
    const reply = Object.values(useChat.getState().threads).find((t) => t.byId[focusId])?.byId[focusId];
    return reply?.parentId ?? null;
  }, [focusId, messages]);

  // The scroll position decides when messages count as read, and reading happens when the bottom is reached:
  // the two hooks meet through this callback.
  const reachedBottom = useRef<() => void>(() => {});
  const onReachBottom = useCallback(() => reachedBottom.current(), []);
  const scroll = useScrollAnchor({
    history,
    messages,
    anchor,
    focusRowId,
    meId,
    unreadCount: room.unreadCount,
    readMarker,
    onAnchor,
    onReachBottom,
  });
  const read = useReadMarker({
    room,
    meId,
    messages,
    atEnd,
    loaded: history.isSuccess,
    readMarker,
    isAtBottom: scroll.isAtBottom,
  });
  useLayoutEffect(() => {
    reachedBottom.current = read.readIfVisible;
  });
  const firstUnread = read.firstUnread;

  const markAllRead = () => {
    setBarDismissed(true);
    read.markAllRead();
  };

  // My latest message carries the read receipt.
  const myLatest = useMemo(() => [...messages].reverse().find((m) => m.sender?.id === meId && !m.local && !m.deletedAt), [messages, meId]);
  const seenLabel = useMemo(() => {
    if (!myLatest) return null;
    const names = seenBy(room, myLatest, meId);
    if (names.length === 0) return null;
    if (!room.isGroup) return 'Seen';
    return `Seen by ${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}`;
  }, [room, myLatest, meId]);

  const { scroller, content, topSentinel, bottomSentinel } = scroll.refs;
  return (
    <>
      {scroll.unreadAbove && !barDismissed ? (
        <div className="unread-bar" role="status">
          <button type="button" className="unread-bar__jump" onClick={scroll.jumpToFirstUnread}>
            <Icon name="up" size={16} /> Jump to first unread
          </button>
          <button type="button" className="unread-bar__read" onClick={markAllRead}>
            <Icon name="check" size={16} /> Mark as read
          </button>
        </div>
      ) : null}
      <div
        className="room__scroller"
        ref={scroller}
        onScroll={scroll.onScroll}
        role="log"
        aria-label={`Messages in ${title}`}
        aria-live="polite"
        aria-busy={history.isFetching}
      >
        <div ref={content} className="room__content">
          <div ref={topSentinel} className="room__sentinel" aria-hidden="true" />
          {history.hasPreviousPage || history.isPending ? (
            <div className="room__loading-older" data-testid="loading-older">
              {history.isFetchingPreviousPage || history.isPending ? <span className="spinner" aria-label="Loading older messages" /> : null}
            </div>
          ) : history.isSuccess ? (
            <div className="room__start">
              <h2>{room.isGroup ? `Welcome to # ${title}` : title}</h2>
              <p className="muted">This is the beginning of the conversation.</p>
            </div>
          ) : null}
          {history.isError ? (
            <div className="room__loading-older" role="alert">
              Could not load messages.{' '}
              <button type="button" className="link-button" onClick={() => void history.refetch()}>
                Try again
              </button>
            </div>
          ) : null}
          <MessageRows
            messages={messages}
            meId={meId}
            canModerate={canModerate}
            memberNames={memberNames}
            firstUnread={firstUnread}
            focusId={focusRowId}
            myLatestId={myLatest?.id}
            seenLabel={seenLabel}
          />
          {history.hasNextPage ? (
            <div className="room__loading-older">
              {history.isFetchingNextPage ? <span className="spinner" aria-label="Loading newer messages" /> : null}
            </div>
          ) : null}
          <div ref={bottomSentinel} className="room__sentinel" aria-hidden="true" />
        </div>
      </div>
      <div className="room__typing" aria-live="polite">
        {typing}
      </div>
      {scroll.showJump && history.isSuccess ? (
        <button type="button" className="jump-latest" onClick={scroll.jumpToLatest}>
          {scroll.unseenBelow > 0 ? `${scroll.unseenBelow} new message${scroll.unseenBelow > 1 ? 's' : ''}` : 'Jump to latest'}{' '}
          <Icon name="down" size={16} />
        </button>
      ) : null}
    </>
  );
}

function MessageRows(props: {
  messages: Message[];
  meId: string;
  canModerate: boolean;
  memberNames: string[];
  firstUnread?: string | null;
  focusId?: string | null;
  myLatestId?: string;
  seenLabel: string | null;
}) {
  const { messages, meId } = props;
  return (
    <>
      {messages.map((m, i) => {
        const prev = messages[i - 1];
        const newDay = !prev || dayKey(prev.createdAt) !== dayKey(m.createdAt);
        const divider = m.id === props.firstUnread;
        const compact =
          !!prev &&
          !newDay &&
          !divider &&
          !prev.deletedAt &&
          prev.sender?.id === m.sender?.id &&
          minutesBetween(prev.createdAt, m.createdAt) < GROUP_WINDOW_MIN;
        return (
          <Fragment key={m.id}>
            {newDay ? (
              <div className="day-separator" role="separator" aria-label={dayLabel(m.createdAt)}>
                <span>{dayLabel(m.createdAt)}</span>
              </div>
            ) : null}
            {divider ? (
              <div className="new-divider" data-new-divider role="separator" aria-label="New messages">
                <span>New messages</span>
              </div>
            ) : null}
            <MessageItem
              message={m}
              meId={meId}
              compact={compact}
              focused={m.id === props.focusId}
              canModerate={props.canModerate}
              memberNames={props.memberNames}
              seenLabel={m.id === props.myLatestId ? props.seenLabel : null}
            />
          </Fragment>
        );
      })}
    </>
  );
}
