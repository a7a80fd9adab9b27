import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { SetNotificationSettingsDocument } from '../gql/graphql';
import { leaveRoom, markRead } from '../lib/actions';
import { execute } from '../lib/execute';
import { useHistory } from '../lib/queries';
import { navigate } from '../lib/router';
import { dayKey, dayLabel, minutesBetween } from '../lib/time';
import { useChat } from '../store/chat';
import {
  dmPartner,
  emptyList,
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

const EMPTY = emptyList();

const ICONS = {
  bell: 'M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1z',
  bellOff:
    'M20 18.7 5.3 4 4 5.3l2.9 2.9A6.8 6.8 0 0 0 6 11v5l-2 2v1h13.7l1 1 1.3-1.3zM12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6.8V11c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7c-.5.1-1 .3-1.4.6z',
  userPlus: 'M15 12a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm-9-2V7H4v3H1v2h3v3h2v-3h3v-2zm9 4c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z',
  leave: 'M10 17v-3H3v-4h7V7l5 5zm9-14H12v2h7v14h-7v2h7a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2z',
};

function Icon({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path fill="currentColor" d={path} />
    </svg>
  );
}
const GROUP_WINDOW_MIN = 5;

export function RoomView({ room, meId }: { room: Room; meId: string }) {
  const history = useHistory(room.id);
  const list = useChat((s) => s.messages[room.id]) ?? EMPTY;
  const typingInRoom = useChat((s) => s.typing[room.id]);
  const typing = useMemo(
    () => typingLabel(typingNames({ typing: { [room.id]: typingInRoom ?? {} } }, room.id, Date.now())),
    [typingInRoom, room.id],
  );
  const partner = dmPartner(room, meId);
  const partnerPresence = useChat((s) =>
    partner && partner.id !== meId ? (s.presence[partner.id]?.status ?? partner.presence.status) : null,
  );
  const patchRoom = useChat((s) => s.patchRoom);
  const [readMarker] = useState(() => myLastReadSeq(room, meId));
  const [dialog, setDialog] = useState<'invite' | 'leave' | 'members' | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const prepend = useRef<{ height: number; top: number } | null>(null);
  const firstScroll = useRef(true);
  const prevIds = useRef<{ first?: string; last?: string; count: number }>({ count: 0 });

  const messages = useMemo(() => list.ids.map((id) => list.byId[id]), [list]);
  const memberNames = useMemo(() => room.members.map((m) => m.user.nickname), [room.members]);
  const myRole = room.members.find((m) => m.user.id === meId)?.role;
  const canModerate = myRole === 'OWNER' || myRole === 'ADMIN';
  const title = roomTitle(room, meId);

  const mute = useMutation({
    mutationFn: (muted: boolean) => execute(SetNotificationSettingsDocument, { input: { roomId: room.id, muted } }),
    onMutate: (muted) => patchRoom(room.id, { muted }),
    onError: (_e, muted) => patchRoom(room.id, { muted: !muted }),
  });

  const lastReal = useMemo(() => [...messages].reverse().find((m) => !m.local), [messages]);

  const readIfVisible = useCallback(() => {
    if (!lastReal || document.hidden || !atBottom.current) return;
    if (myLastReadSeq(useChat.getState().rooms[room.id] ?? room, meId) >= lastReal.seq && room.unreadCount === 0) return;
    void markRead(room.id, lastReal);
  }, [lastReal, room, meId]);

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

  // Keep the view where the reader is: at the bottom as messages arrive, at the same message when older
  // pages are put in above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = messages[0]?.id;
    const last = messages[messages.length - 1];
    const prev = prevIds.current;
    if (prepend.current && first !== prev.first) {
      el.scrollTop = el.scrollHeight - prepend.current.height + prepend.current.top;
      prepend.current = null;
    } else if (firstScroll.current && messages.length > 0 && history.isSuccess) {
      firstScroll.current = false;
      const divider = el.querySelector<HTMLElement>('[data-new-divider]');
      if (divider && divider.offsetTop > el.clientHeight / 2) {
        el.scrollTop = divider.offsetTop - 80;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
        setShowJump(!atBottom.current);
      } else {
        el.scrollTop = el.scrollHeight;
      }
    } else if (last && last.id !== prev.last) {
      if (atBottom.current || last.local || last.sender?.id === meId) {
        el.scrollTop = el.scrollHeight;
      } else {
        setUnseenBelow((n) => n + 1);
      }
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevIds.current = { first, last: last?.id, count: messages.length };
  }, [messages, history.isSuccess, meId]);

  // A typing line or new reactions change the height: stay pinned to the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [typing]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      setShowJump(!bottom);
      if (bottom) {
        setUnseenBelow(0);
        readIfVisible();
      }
    }
    if (el.scrollTop < 200 && history.hasNextPage && !history.isFetchingNextPage) {
      prepend.current = { height: el.scrollHeight, top: el.scrollTop };
      void history.fetchNextPage();
    }
  };

  const jumpToLatest = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setShowJump(false);
    setUnseenBelow(0);
    readIfVisible();
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

  // The "New messages" divider marks where I stopped reading when I opened the room; it does not move
  // while I read (messages arriving while I watch need no divider).
  const [pinnedDivider, setPinnedDivider] = useState<string | null | undefined>(undefined);
  const candidate = useMemo(
    () => messages.find((m) => !m.local && m.seq > readMarker && m.sender?.id !== meId)?.id ?? null,
    [messages, readMarker, meId],
  );
  const firstUnread =
    pinnedDivider !== undefined ? pinnedDivider : history.isSuccess && messages.length > 0 ? candidate : undefined;
  useEffect(() => {
    if (pinnedDivider === undefined && firstUnread !== undefined) setPinnedDivider(firstUnread);
  }, [pinnedDivider, firstUnread]);

  return (
    <section className="room" aria-label={title}>
      <header className="room__header">
        <button type="button" className="icon-button room__back" aria-label="Back to conversations" onClick={() => navigate('/')}>
          ←
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
            {room.muted ? <Icon path={ICONS.bellOff} /> : <Icon path={ICONS.bell} />}
          </button>
          {room.isGroup ? (
            <button type="button" className="icon-button" aria-label="Invite people" title="Invite people" onClick={() => setDialog('invite')}>
              <Icon path={ICONS.userPlus} />
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label="Leave conversation" title="Leave" onClick={() => setDialog('leave')}>
            <Icon path={ICONS.leave} />
          </button>
        </div>
      </header>

      <div className="room__scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={`Messages in ${title}`} aria-live="polite">
        {history.hasNextPage ? (
          <div className="room__loading-older">{history.isFetchingNextPage ? 'Loading older messages…' : ''}</div>
        ) : history.isSuccess ? (
          <div className="room__start">
            <h2>{room.isGroup ? `Welcome to # ${title}` : title}</h2>
            <p className="muted">This is the beginning of the conversation.</p>
          </div>
        ) : null}
        {history.isPending ? <div className="room__loading-older">Loading…</div> : null}
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
          myLatestId={myLatest?.id}
          seenLabel={seenLabel}
        />
      </div>
      <div className="room__typing" aria-live="polite">
        {typing}
      </div>
      {showJump ? (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          {unseenBelow > 0 ? `${unseenBelow} new message${unseenBelow > 1 ? 's' : ''}` : 'Jump to latest'} ↓
        </button>
      ) : null}
      <Composer
        roomId={room.id}
        meId={meId}
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

function MessageRows(props: {
  messages: Message[];
  meId: string;
  canModerate: boolean;
  memberNames: string[];
  firstUnread?: string | null;
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
