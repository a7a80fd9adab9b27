import { useMemo, useState } from 'react';
import { logOut } from '../lib/actions';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { shortWhen } from '../lib/time';
import { useChat } from '../store/chat';
import { dmPartner, ownPresence, roomsByActivity, roomTitle, type Room } from '../store/merge';
import { Avatar } from './Avatar';
import { NewDirectDialog, NewGroupDialog } from './RoomDialogs';
import { Icon } from './Icons';

export interface SidebarProps {
  meId: string;
  activeRoomId: string | null;
  loading: boolean;
  onOpenSettings(): void;
  onOpenSearch(): void;
}

export function Sidebar({ meId, activeRoomId, loading, onOpenSettings, onOpenSearch }: SidebarProps) {
  const rooms = useChat((s) => s.rooms);
  const session = useSession();
  const myPresence = useChat((s) => ownPresence(s.connection === 'connected', s.presence[meId]?.status));
  const [dialog, setDialog] = useState<'dm' | 'group' | null>(null);
  const ordered = useMemo(() => roomsByActivity(rooms), [rooms]);
  const me = session?.user;
  const viewer = useChat((s) => s.viewer);
  return (
    <nav className="sidebar" aria-label="Conversations">
      <header className="sidebar__header">
        <div className="sidebar__brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Chorus</span>
        </div>
        <div className="sidebar__actions">
          <button type="button" className="icon-button" aria-label="New direct message" title="New direct message" onClick={() => setDialog('dm')}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm7 3v3H8v2h3v3h2v-3h3v-2h-3V7z" /></svg>
          </button>
          <button type="button" className="icon-button" aria-label="New group" title="New group" onClick={() => setDialog('group')}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-7 1.7-7 4v2h11.3A6 6 0 0 1 17 13.5 12 12 0 0 0 9 13zm10 0v3h3v2h-3v3h-2v-3h-3v-2h3v-3z" /></svg>
          </button>
        </div>
      </header>
      <button type="button" className="sidebar__search" onClick={onOpenSearch} aria-keyshortcuts="Control+F Meta+F">
        <Icon name="search" size={16} />
        <span>Search messages</span>
        <kbd aria-hidden="true">{/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘F' : 'Ctrl F'}</kbd>
      </button>
      <ul className="room-list" aria-label="Rooms">
        {loading ? <li className="muted room-list__hint">Loading…</li> : null}
        {!loading && ordered.length === 0 ? (
          <li className="room-list__hint">
            No conversations yet.{' '}
            <button type="button" className="link-button" onClick={() => setDialog('dm')}>
              Message someone
            </button>
          </li>
        ) : null}
        {ordered.map((room) => (
          <RoomItem key={room.id} room={room} meId={meId} active={room.id === activeRoomId} />
        ))}
      </ul>
      <footer className="sidebar__footer">
        {me ? (
          <button type="button" className="me-button" onClick={onOpenSettings} aria-label="Profile and settings">
            <Avatar id={me.id} name={me.nickname} url={viewer?.user.avatarUrl} size={32} presence={myPresence} />
            <span className="me-button__name">{me.nickname}</span>
            <span className="me-button__gear" aria-hidden="true">
              <Icon name="gear" />
            </span>
          </button>
        ) : null}
        <button type="button" className="button button--ghost button--small" onClick={() => void logOut()}>
          Log out
        </button>
      </footer>
      {dialog === 'dm' ? <NewDirectDialog meId={meId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'group' ? <NewGroupDialog meId={meId} onClose={() => setDialog(null)} /> : null}
    </nav>
  );
}

function RoomItem({ room, meId, active }: { room: Room; meId: string; active: boolean }) {
  const partner = dmPartner(room, meId);
  const presence = useChat((s) => (partner && partner.id !== meId ? (s.presence[partner.id]?.status ?? partner.presence.status) : null));
  const title = roomTitle(room, meId);
  const last = room.lastMessage;
  const preview = last
    ? last.deletedAt
      ? 'Message deleted'
      : `${last.sender?.id === meId ? 'You: ' : room.isGroup && last.sender ? `${last.sender.nickname}: ` : ''}${last.content || (last.attachments.length ? 'Image' : '')}`
    : room.isGroup
      ? `${room.members.length} members`
      : 'Say hello';
  const unread = room.unreadCount;
  const mentions = room.unreadMentionCount;
  const label = [title, unread ? `${unread} unread` : '', mentions ? `${mentions} mentions` : '', room.muted ? 'muted' : '']
    .filter(Boolean)
    .join(', ');
  return (
    <li>
      <a
        href={`/r/${room.id}`}
        className={`room-item${active ? ' room-item--active' : ''}${room.muted ? ' room-item--muted' : ''}${unread ? ' room-item--unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-label={label}
        data-room-title={title}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(`/r/${room.id}`);
        }}
      >
        {partner ? (
          <Avatar id={partner.id} name={partner.nickname} url={partner.avatarUrl} size={36} presence={presence} />
        ) : (
          <Avatar id={room.id} name={`#${room.name ?? 'g'}`} size={36} square />
        )}
        <span className="room-item__text">
          <span className="room-item__top">
            <span className="room-item__title">{room.isGroup ? `# ${title}` : title}</span>
            {last ? <time className="room-item__time">{shortWhen(last.createdAt)}</time> : null}
          </span>
          <span className="room-item__bottom">
            <span className="room-item__preview">{preview}</span>
            {mentions > 0 ? (
              <span className="badge badge--mention" data-testid="mention-badge" aria-hidden="true">
                @{mentions}
              </span>
            ) : null}
            {unread > 0 ? (
              <span className="badge" data-testid="unread-badge" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
            {room.muted ? (
              <span className="room-item__muted" aria-hidden="true" title="Muted">
                <Icon name="bellOff" size={14} />
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
}
