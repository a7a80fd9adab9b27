import { useEffect, useRef, useState, type FormEvent } from 'react';
import { setAvatar, setMyPresence, setNickname as saveNickname, setNotificationsEnabled, setRoomMuted } from '../lib/actions';
import { errorMessage } from '../lib/execute';
import {
  browserNotificationsWanted,
  DENIED_HINT,
  desktopPermission,
  requestDesktopPermission,
  setBrowserNotificationsWanted,
  watchDesktopPermission,
  type DesktopPermission,
} from '../lib/notify';
import { useServerInfo } from '../lib/queries';
import { setTheme, useTheme, type Theme } from '../lib/theme';
import { useSession } from '../lib/session';
import { useChat } from '../store/chat';
import { roomsByActivity, roomTitle } from '../store/merge';
import { Avatar } from './Avatar';
import { IntegrationsSettings } from './IntegrationsSettings';
import { Modal } from './Modal';

export function SettingsPanel({ meId, onClose }: { meId: string; onClose(): void }) {
  const session = useSession();
  const viewer = useChat((s) => s.viewer);
  const rooms = useChat((s) => s.rooms);
  const presence = useChat((s) => s.presence[meId]?.status ?? 'ONLINE');
  const [nickname, setNickname] = useState(session?.user.nickname ?? '');
  const [nickError, setNickError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [savingNick, setSavingNick] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const theme = useTheme();

  const uploads = useServerInfo()?.uploads ?? null;
  const avatarInput = useRef<HTMLInputElement>(null);
  const [avatarProgress, setAvatarProgress] = useState<number | null>(null);
  const changeAvatar = async (file: File) => {
    setNickError(null);
    setAvatarProgress(0);
    try {
      await setAvatar(file, setAvatarProgress);
    } catch (e) {
      setNickError(errorMessage(e));
    } finally {
      setAvatarProgress(null);
    }
  };

  // The switch shows what I asked for while the server has not answered.
  const [pendingEnabled, setPendingEnabled] = useState<boolean | null>(null);
  const enabled = pendingEnabled ?? viewer?.notificationsEnabled ?? true;
  const toggleEnabled = (on: boolean) => {
    setPendingEnabled(on);
    setNotificationsEnabled(on)
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setPendingEnabled(null));
  };

  const toggleMute = (roomId: string, muted: boolean) => {
    setRoomMuted(roomId, muted).catch((e: unknown) => setError(errorMessage(e)));
  };

  const saveNick = (e: FormEvent) => {
    e.preventDefault();
    setNickError(null);
    setSaved(false);
    const nick = nickname.trim();
    if (!nick || nick === session?.user.nickname) return;
    setSavingNick(true);
    saveNickname(nick)
      .then(() => setSaved(true))
      .catch((err: unknown) => setNickError(errorMessage(err)))
      .finally(() => setSavingNick(false));
  };

  return (
    <Modal title="Profile and settings" onClose={onClose} wide>
      <section className="settings-section" aria-labelledby="settings-profile">
        <h3 id="settings-profile">Profile</h3>
        <div className="settings-profile">
          <div className="settings-avatar">
            {session ? (
              <Avatar id={session.user.id} name={session.user.nickname} url={viewer?.user.avatarUrl} size={64} />
            ) : null}
            {uploads?.enabled ? (
              <>
                <button type="button" className="button button--ghost button--small" onClick={() => avatarInput.current?.click()} disabled={avatarProgress !== null}>
                  {avatarProgress !== null ? `Uploading ${Math.round(avatarProgress * 100)}%` : 'Change photo'}
                </button>
                <input
                  ref={avatarInput}
                  type="file"
                  accept={uploads.types.join(',')}
                  hidden
                  aria-label="Upload a profile photo"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) void changeAvatar(file);
                  }}
                />
              </>
            ) : null}
          </div>
          <form onSubmit={saveNick} className="settings-profile__form">
            <div className="field">
              <label htmlFor="settings-nickname">Nickname</label>
              <div className="inline-form">
                <input
                  id="settings-nickname"
                  className="input"
                  value={nickname}
                  aria-invalid={nickError ? true : undefined}
                  aria-describedby={nickError ? 'settings-nickname-error' : undefined}
                  onChange={(e) => {
                    setNickname(e.target.value);
                    setSaved(false);
                  }}
                />
                <button type="submit" className="button button--primary" disabled={savingNick}>
                  Save
                </button>
              </div>
              {nickError ? (
                <p className="field__error" id="settings-nickname-error" role="alert">
                  {nickError}
                </p>
              ) : null}
              {saved ? <p className="field__ok" role="status">Saved</p> : null}
            </div>
            {viewer ? <p className="muted">Signed in as {viewer.email}</p> : null}
          </form>
        </div>
        <label className="switch-row">
          <input
            type="checkbox"
            checked={presence === 'AWAY'}
            onChange={(e) => void setMyPresence(e.target.checked ? 'AWAY' : 'ONLINE').catch((err) => setError(errorMessage(err)))}
          />
          <span>Appear away</span>
        </label>
      </section>

      <section className="settings-section" aria-labelledby="settings-appearance">
        <h3 id="settings-appearance">Appearance</h3>
        <label className="field">
          <span>Theme on this device</span>
          <select className="input" value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="Theme">
            <option value="system">Same as the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </section>

      <section className="settings-section" aria-labelledby="settings-notifications">
        <h3 id="settings-notifications">Notifications</h3>
        <label className="switch-row">
          <input type="checkbox" checked={enabled} onChange={(e) => toggleEnabled(e.target.checked)} />
          <span>Notify me about new messages and mentions</span>
        </label>
        <DesktopNotifications />
        <h4>Rooms</h4>
        <ul className="settings-rooms">
          {roomsByActivity(rooms).map((r) => (
            <li key={r.id}>
              <label className="switch-row">
                <input type="checkbox" checked={!r.muted} onChange={(e) => toggleMute(r.id, !e.target.checked)} />
                <span>{r.isGroup ? `# ${roomTitle(r, meId)}` : roomTitle(r, meId)}</span>
              </label>
            </li>
          ))}
        </ul>
        {error ? <p className="form-error" role="alert">{error}</p> : null}
      </section>

      <IntegrationsSettings />
    </Modal>
  );
}

/** The desktop notification permission: what the browser says, the one button that asks, and how to undo a refusal. */
function DesktopNotifications() {
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);
  const [wanted, setWanted] = useState(browserNotificationsWanted);
  const [asking, setAsking] = useState(false);
  useEffect(() => watchDesktopPermission(setPermission), []);
  const ask = () => {
    setAsking(true);
    requestDesktopPermission()
      .then((p) => {
        setPermission(p);
        setWanted(browserNotificationsWanted());
      })
      .finally(() => setAsking(false));
  };
  return (
    <div className="desktop-notify" data-permission={permission}>
      <h4>Desktop notifications</h4>
      <p className="muted">Mentions and direct messages, while Chorus is in a background tab.</p>
      {permission === 'unsupported' ? <p role="status">This browser cannot show desktop notifications.</p> : null}
      {permission === 'default' ? (
        <>
          <p role="status">Not allowed yet: the browser will ask you once.</p>
          <button type="button" className="button button--primary" onClick={ask} disabled={asking}>
            Allow desktop notifications
          </button>
        </>
      ) : null}
      {permission === 'granted' ? (
        <label className="switch-row">
          <input
            type="checkbox"
            checked={wanted}
            onChange={(e) => {
              setBrowserNotificationsWanted(e.target.checked);
              setWanted(e.target.checked);
            }}
          />
          <span>Show desktop notifications on this device (allowed by the browser)</span>
        </label>
      ) : null}
      {permission === 'denied' ? (
        <p role="status" className="muted">
          {DENIED_HINT}
        </p>
      ) : null}
    </div>
  );
}
