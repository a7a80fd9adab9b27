import { useState } from 'react';
import { leaveRoom, setRoomMuted } from '../lib/actions';
import { navigate } from '../lib/router';
import { roomOperand } from '../lib/search';
import { useChat } from '../store/chat';
import { dmPartner, roomTitle, type Room } from '../store/merge';
import { Avatar, PresenceDot } from './Avatar';
import { Icon } from './Icons';
import { ConfirmDialog } from './Modal';
import { InviteDialog, MembersDialog } from './RoomDialogs';
import { RoomIntegrationsDialog } from './RoomIntegrations';

/**
 * The room's title bar: who or what it is, the partner's presence, and search in the room, mute, invite,
 * members and leave.
 */
export function RoomHeader({ room, meId, onSearch }: { room: Room; meId: string; onSearch?(query: string): void }) {
  const partner = dmPartner(room, meId);
  const partnerPresence = useChat((s) =>
    partner && partner.id !== meId ? (s.presence[partner.id]?.status ?? partner.presence.status) : null,
  );
  const [dialog, setDialog] = useState<'invite' | 'leave' | 'members' | 'integrations' | null>(null);
  const myRole = room.members.find((m) => m.user.id === meId)?.role;
  const manages = room.isGroup && (myRole === 'OWNER' || myRole === 'ADMIN');
  const title = roomTitle(room, meId);

  return (
    <>
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
          {onSearch ? (
            <button
              type="button"
              className="icon-button"
              aria-label="Search in this conversation"
              title="Search in this conversation"
              onClick={() => onSearch(`in:${roomOperand({ id: room.id, name: room.isGroup ? (room.name ?? '') : null })} `)}
            >
              <Icon name="search" />
            </button>
          ) : null}
          <button
            type="button"
            className="icon-button"
            aria-pressed={room.muted}
            aria-label={room.muted ? 'Unmute notifications for this room' : 'Mute notifications for this room'}
            title={room.muted ? 'Unmute' : 'Mute'}
            onClick={() => void setRoomMuted(room.id, !room.muted).catch(() => {})}
          >
            {room.muted ? <Icon name="bellOff" /> : <Icon name="bell" />}
          </button>
          {room.isGroup ? (
            <button type="button" className="icon-button" aria-label="Invite people" title="Invite people" onClick={() => setDialog('invite')}>
              <Icon name="userPlus" />
            </button>
          ) : null}
          {manages ? (
            <button type="button" className="icon-button" aria-label="Integrations" title="Webhooks and slash commands" onClick={() => setDialog('integrations')}>
              <Icon name="link" />
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label="Leave conversation" title="Leave" onClick={() => setDialog('leave')}>
            <Icon name="leave" />
          </button>
        </div>
      </header>
      {dialog === 'invite' ? <InviteDialog room={room} meId={meId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'integrations' ? <RoomIntegrationsDialog room={room} onClose={() => setDialog(null)} /> : null}
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
    </>
  );
}
