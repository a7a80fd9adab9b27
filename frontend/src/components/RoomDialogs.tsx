import { useState, type FormEvent } from 'react';
import type { RoomRole, UserFieldsFragment } from '../gql/graphql';
import { useChat } from '../store/chat';
import { Avatar } from './Avatar';
import { createGroup, inviteToRoom, openDirectRoom, setRoomRole } from '../lib/actions';
import { errorMessage } from '../lib/execute';
import { navigate } from '../lib/router';
import type { Room } from '../store/merge';
import { Modal } from './Modal';
import { UserPicker } from './UserPicker';

export function NewDirectDialog({ meId, onClose }: { meId: string; onClose(): void }) {
  const [error, setError] = useState<string | null>(null);
  const open = async (u: UserFieldsFragment) => {
    try {
      const id = await openDirectRoom(u.id);
      onClose();
      navigate(`/r/${id}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title="New direct message" onClose={onClose}>
      <UserPicker meId={meId} selected={[]} onChange={() => {}} onPick={open} />
      {error ? <p className="form-error" role="alert">{error}</p> : null}
    </Modal>
  );
}

export function NewGroupDialog({ meId, onClose }: { meId: string; onClose(): void }) {
  const [name, setName] = useState('');
  const [members, setMembers] = useState<UserFieldsFragment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    try {
      const id = await createGroup(name.trim(), members.map((m) => m.id));
      onClose();
      navigate(`/r/${id}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="New group"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" disabled={busy || !name.trim()} onClick={() => submit()}>
            Create group
          </button>
        </>
      }
    >
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="group-name">Group name</label>
          <input id="group-name" className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </div>
        <UserPicker meId={meId} multiple selected={members} onChange={setMembers} label="Add people" />
        {error ? <p className="form-error" role="alert">{error}</p> : null}
      </form>
    </Modal>
  );
}

export function InviteDialog({ room, meId, onClose }: { room: Room; meId: string; onClose(): void }) {
  const [members, setMembers] = useState<UserFieldsFragment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await inviteToRoom(room.id, members.map((m) => m.id));
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Modal
      title={`Invite to #${room.name ?? 'group'}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" disabled={members.length === 0} onClick={submit}>
            Invite
          </button>
        </>
      }
    >
      <UserPicker
        meId={meId}
        multiple
        exclude={room.members.map((m) => m.user.id)}
        selected={members}
        onChange={setMembers}
        label="Add people"
      />
      {error ? <p className="form-error" role="alert">{error}</p> : null}
    </Modal>
  );
}

const ROLE_ORDER: Record<RoomRole, number> = { OWNER: 0, ADMIN: 1, MEMBER: 2 };

export function MembersDialog({ room, meId, onClose }: { room: Room; meId: string; onClose(): void }) {
  const presence = useChat((s) => s.presence);
  const [error, setError] = useState<string | null>(null);
  const iAmOwner = room.members.some((m) => m.user.id === meId && m.role === 'OWNER');
  const members = [...room.members].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.user.nickname.localeCompare(b.user.nickname),
  );
  const setRole = async (userId: string, role: RoomRole) => {
    try {
      await setRoomRole(room.id, userId, role);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title={`Members of # ${room.name ?? 'group'}`} onClose={onClose}>
      <ul className="members">
        {members.map((m) => {
          const status = presence[m.user.id]?.status ?? m.user.presence.status;
          return (
            <li key={m.user.id} className="members__row">
              <Avatar id={m.user.id} name={m.user.nickname} url={m.user.avatarUrl} size={32} presence={status} />
              <span className="members__name">
                {m.user.nickname}
                {m.user.isBot ? <span className="bot-badge">BOT</span> : null}
                {m.user.id === meId ? <span className="muted"> (you)</span> : null}
              </span>
              {iAmOwner && m.role !== 'OWNER' ? (
                <select
                  className="members__role-select"
                  aria-label={`Role of ${m.user.nickname}`}
                  value={m.role}
                  onChange={(e) => void setRole(m.user.id, e.target.value as RoomRole)}
                >
                  <option value="ADMIN">Admin</option>
                  <option value="MEMBER">Member</option>
                </select>
              ) : (
                <span className={`role role--${m.role.toLowerCase()}`}>{m.role.toLowerCase()}</span>
              )}
            </li>
          );
        })}
      </ul>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
    </Modal>
  );
}
