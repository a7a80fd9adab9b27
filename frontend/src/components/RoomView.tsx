import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { SetNotificationSettingsDocument } from '../gql/graphql';
import { editLastMessage, leaveRoom, markRead } from '../lib/actions';
import { execute } from '../lib/execute';
import { anchorKey, inWindow, useHistory, type HistoryAnchor } from '../lib/queries';
import { navigate } from '../lib/router';
import { dayKey, dayLabel, minutesBetween } from '../lib/time';
import { useChat } from '../store/chat';
import {
  dmPartner,
  emptyList,
  firstUnreadId,
  myLastReadSeq,
  roomTitle,
  seenBy,
  typingLabel,
  typingNames,
  type Message,
  type Room,
} from '../store/merge';
import { Avatar, PresenceDot } from './Avatar';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { ConfirmDialog } from './Modal';
import { InviteDialog, MembersDialog } from './RoomDialogs';
import { Icon } from './Icons';

const EMPTY = emptyList();

const GROUP_WINDOW_MIN = 5;
/** Distance from the bottom (px) within which the reader counts as at the newest message. */
const BOTTOM_SLACK = 60;
/** Older/newer pages load while their edge is within this distance (px) of the viewport. */
const LOAD_MARGIN = 600;

/** Where the room opens: a permalinked message, the first unread, or the newest message. */
export function initialAnchor(room: Room, meId: string, focusMessageId: string | null): HistoryAnchor {
  if (focusMessageId) return { kind: 'message', id: focusMessageId };
  if (room.unreadCount > 0) return { kind: 'seq', seq: myLastReadSeq(room, meId) + 1 };
  return { kind: 'latest' };
}

export function RoomView({ room, meId, focusMessageId = null }: { room: Room; meId: string; focusMessageId?: string | null }) {
  const partner = dmPartner(room, meId);
  const partnerPresence = useChat((s) =>
    partner && partner.id !== meId ? (s.presence[partner.id]?.status ?? partner.presence.status) : null,
  );
  const patchRoom = useChat((s) => s.patchRoom);
  const [readMarker] = useState(() => myLastReadSeq(room, meId));
  const [anchor, setAnchor] = useState<HistoryAnchor>(() => initialAnchor(room, meId, focusMessageId));
  // A permalink followed while the room is open re-centres the history on that message.
  const lastFocus = useRef(focusMessageId);
  useEffect(() => {
    if (focusMessageId && focusMessageId !== lastFocus.current) setAnchor({ kind: 'message', id: focusMessageId });
    lastFocus.current = focusMessageId;
  }, [focusMessageId]);
  const [dialog, setDialog] = useState<'invite' | 'leave' | 'members' | null>(null);
  const memberNames = useMemo(() => room.members.map((m) => m.user.nickname), [room.members]);
  const title = roomTitle(room, meId);

  const mute = useMutation({
    mutationFn: (muted: boolean) => execute(SetNotificationSettingsDocument, { input: { roomId: room.id, muted } }),
    onMutate: (muted) => patchRoom(room.id, { muted }),
    onError: (_e, muted) => patchRoom(room.id, { muted: !muted }),
  });

  return (
    <section className="room" aria-label={title}>
      <header className="room__header">
        <button type="button" className="icon-button room__back" aria-label="Back to conversations" onClick={() => navigate('/')}>
          <Icon name="back" />
        </button>
        {partner ? (
          <Avatar id={partner.id} name={partner.nickname} url={partner.avatarUrl} size={32} presence={partnerPresence} />
        ) : (
          <Avatar id={room.id} name={`#${room.name ?? 'g'}`} size={32} square />
        )}
        <div className="room__title">
          <h1>{room.isGroup ? `# ${title}` : title}</h1>
          <p className="room__subtitle">
            {room.isGroup ? (
              <button type="button" className="link-button room__members" onClick={() => setDialog('members')}>
                {room.members.length} members
              </button>
            ) : partnerPresence ? (
              <span className="presence-label" data-testid="partner-presence" data-presence={partnerPresence.toLowerCase()}>
                <PresenceDot status={partnerPresence} /> {partnerPresence === 'ONLINE' ? 'Online' : partnerPresence === 'AWAY' ? 'Away' : 'Offline'}
              </span>
            ) : (
              'Notes to self'
            )}
          </p>
        </div>
        <div className="room__actions">
          <button
            type="button"
            className="icon-button"
            aria-pressed={room.muted}
            aria-label={room.muted ? 'Unmute notifications for this room' : 'Mute notifications for this room'}
            title={room.muted ? 'Unmute' : 'Mute'}
            onClick={() => mute.mutate(!room.muted)}
          >
            {room.muted ? <Icon name="bellOff" /> : <Icon name="bell" />}
          </button>
          {room.isGroup ? (
            <button type="button" className="icon-button" aria-label="Invite people" title="Invite people" onClick={() => setDialog('invite')}>
              <Icon name="userPlus" />
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label="Leave conversation" title="Leave" onClick={() => setDialog('leave')}>
            <Icon name="leave" />
          </button>
        </div>
      </header>

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
        placeholder={`Message ${room.isGroup ? `# ${title}` : title}`}
        autoFocus
      />
      {dialog === 'invite' ? <InviteDialog room={room} meId={meId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'members' ? <MembersDialog room={room} meId={meId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'leave' ? (
        <ConfirmDialog
          title="Leave conversation?"
          message={room.isGroup ? `You will no longer get messages from # ${title}.` : 'The conversation comes back when someone writes in it.'}
          confirmLabel="Leave"
          danger
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void leaveRoom(room.id).then(() => navigate('/'));
          }}
        />
      ) : null}
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

/**
 * The scrolling history of one anchor: a window of pages that grows both ways from sentinels at its edges
 * (fetched again while an edge stays within reach, so a page that adds nothing visible never stalls it), pinned
 * to the bottom while the reader is there (also when images, receipts or reactions change the height).
 */
function RoomHistory({ room, meId, title, memberNames, anchor, readMarker, onAnchor }: RoomHistoryProps) {
  const history = useHistory(room.id, anchor);
  const list = useChat((s) => s.messages[room.id]) ?? EMPTY;
  const typingInRoom = useChat((s) => s.typing[room.id]);
  const typing = useMemo(
    () => typingLabel(typingNames({ typing: { [room.id]: typingInRoom ?? {} } }, room.id, Date.now())),
    [typingInRoom, room.id],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const bottomSentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(anchor.kind === 'latest');
  const [showJump, setShowJump] = useState(false);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const [unreadAbove, setUnreadAbove] = useState(false);
  const [barDismissed, setBarDismissed] = useState(false);
  const prepend = useRef<{ height: number; top: number } | null>(null);
  const placed = useRef(false);
  const prevLast = useRef<string | undefined>(undefined);
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

  const lastReal = useMemo(() => [...messages].reverse().find((m) => !m.local), [messages]);

  const readIfVisible = useCallback(() => {
    if (!lastReal || document.hidden || !atBottom.current) return;
    const current = useChat.getState().rooms[room.id] ?? room;
    if (myLastReadSeq(current, meId) >= lastReal.seq && (current.unreadCount === 0 || !atEnd)) return;
    void markRead(room.id, lastReal);
  }, [lastReal, room, meId, atEnd]);

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

  // The "New messages" divider marks where I stopped reading when I opened the room; it does not move
  // while I read (messages arriving while I watch need no divider).
  const [pinnedDivider, setPinnedDivider] = useState<string | null | undefined>(undefined);
  const candidate = useMemo(
    () => firstUnreadId(messages, readMarker, meId),
    [messages, readMarker, meId],
  );
  const firstUnread = pinnedDivider !== undefined ? pinnedDivider : history.isSuccess && messages.length > 0 ? candidate : undefined;
  useEffect(() => {
    if (pinnedDivider === undefined && firstUnread !== undefined) setPinnedDivider(firstUnread);
  }, [pinnedDivider, firstUnread]);

  /** Where the reader is: at the bottom (pinned), the first unread above the viewport, older pages in reach. */
  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      if (bottom) {
        setUnseenBelow(0);
        readIfVisible();
      }
    }
    setShowJump(!bottom || !atEnd);
    const divider = el.querySelector<HTMLElement>('[data-new-divider]');
    const unloadedUnread = !divider && room.unreadCount > 0 && !!span && !span.atStart && span.from > readMarker + 1;
    setUnreadAbove(unloadedUnread || (!!divider && divider.offsetTop + divider.offsetHeight < el.scrollTop));
  }, [readIfVisible, atEnd, room.unreadCount, span, readMarker]);

  /** Loads the next page on a side whose edge is within reach; called on scroll and after every page. */
  const loadInReach = useCallback(() => {
    const el = scroller.current;
    if (!el || !placed.current || history.isFetching || history.isError) return;
    const box = el.getBoundingClientRect();
    const top = topSentinel.current?.getBoundingClientRect();
    const bottom = bottomSentinel.current?.getBoundingClientRect();
    if (history.hasPreviousPage && top && top.bottom >= box.top - LOAD_MARGIN) {
      prepend.current = { height: el.scrollHeight, top: el.scrollTop };
      void history.fetchPreviousPage();
    } else if (history.hasNextPage && bottom && bottom.top <= box.bottom + LOAD_MARGIN) {
      void history.fetchNextPage();
    }
  }, [history]);

  // The observers live as long as the view and call the current callbacks.
  const callbacks = useRef({ loadInReach, measure });
  useLayoutEffect(() => {
    callbacks.current = { loadInReach, measure };
  });

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(() => callbacks.current.loadInReach(), {
      root: el,
      rootMargin: `${LOAD_MARGIN}px 0px`,
    });
    if (topSentinel.current) observer.observe(topSentinel.current);
    if (bottomSentinel.current) observer.observe(bottomSentinel.current);
    return () => observer.disconnect();
  }, []);

  // After each page (or a page that added nothing), an edge still in reach loads the next one.
  useEffect(() => {
    if (!history.isFetching) callbacks.current.loadInReach();
  }, [history.isFetching, history.data]);

  // Keep the view where the reader is: placed once at the anchor, at the same message when older pages come
  // in above, at the bottom as messages arrive while the reader is there.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const last = messages[messages.length - 1];
    if (!placed.current) {
      if (!history.isSuccess) return;
      placed.current = true;
      const focus = focusRowId ? el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusRowId)}"]`) : null;
      const divider = el.querySelector<HTMLElement>('[data-new-divider]');
      if (focus) {
        el.scrollTop = Math.max(0, focus.offsetTop - el.clientHeight / 3);
      } else if (divider && (anchor.kind === 'seq' || divider.offsetTop > el.clientHeight / 2)) {
        el.scrollTop = Math.max(0, divider.offsetTop - 80);
      } else {
        el.scrollTop = el.scrollHeight;
      }
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
      prevLast.current = last?.id;
      measure();
      return;
    }
    if (prepend.current && !history.isFetchingPreviousPage) {
      el.scrollTop = el.scrollHeight - prepend.current.height + prepend.current.top;
      prepend.current = null;
    } else if (last && last.id !== prevLast.current) {
      if (atBottom.current || last.local || last.sender?.id === meId) {
        if (atEnd) el.scrollTop = el.scrollHeight;
      } else if (atEnd && span && last.seq > span.maxSeq) {
        // Arrived live (not a page loaded below): counted on the jump button.
        setUnseenBelow((n) => n + 1);
      }
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevLast.current = last?.id;
  }, [messages, history.isSuccess, history.isFetchingPreviousPage, meId, atEnd, span, anchor.kind, focusRowId, measure]);

  // Anything that changes the height (images loading, receipts, reactions, the typing line, a narrower
  // window) keeps a reader at the bottom there, and updates the jump buttons.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (placed.current && atBottom.current && !prepend.current) el.scrollTop = el.scrollHeight;
      callbacks.current.measure();
    });
    observer.observe(el);
    if (content.current) observer.observe(content.current);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    measure();
    loadInReach();
  };

  const jumpToLatest = () => {
    if (!atEnd) {
      onAnchor({ kind: 'latest' });
      return;
    }
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setShowJump(false);
    setUnseenBelow(0);
    readIfVisible();
  };

  const jumpToFirstUnread = () => {
    const el = scroller.current;
    const divider = el?.querySelector<HTMLElement>('[data-new-divider]');
    if (el && divider) el.scrollTo({ top: Math.max(0, divider.offsetTop - 80) });
    else onAnchor({ kind: 'seq', seq: readMarker + 1 });
  };

  const markAllRead = () => {
    setBarDismissed(true);
    const last = useChat.getState().rooms[room.id]?.lastMessage ?? lastReal;
    if (last) void markRead(room.id, last);
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

  return (
    <>
      {unreadAbove && !barDismissed ? (
        <div className="unread-bar" role="status">
          <button type="button" className="unread-bar__jump" onClick={jumpToFirstUnread}>
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
        onScroll={onScroll}
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
      {showJump && history.isSuccess ? (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          {unseenBelow > 0 ? `${unseenBelow} new message${unseenBelow > 1 ? 's' : ''}` : 'Jump to latest'}{' '}
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
