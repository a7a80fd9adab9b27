// Desktop notifications: for a mention or a direct message while the tab is hidden, once the browser allows
// them. Permission is only ever asked from a click in the settings (browsers ignore or penalise prompts
// that no gesture started); the user can also keep them off on this device while allowed.
import { navigate } from './router';

const KEY = 'chorus.browserNotifications';

export type DesktopPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export function browserNotificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function desktopPermission(): DesktopPermission {
  return browserNotificationsSupported() ? Notification.permission : 'unsupported';
}

/** Whether the user wants them on this device (on unless switched off). */
export function browserNotificationsWanted(): boolean {
  return localStorage.getItem(KEY) !== 'off';
}

export function setBrowserNotificationsWanted(on: boolean): void {
  localStorage.setItem(KEY, on ? 'on' : 'off');
}

export function notificationsAllowed(): boolean {
  return desktopPermission() === 'granted' && browserNotificationsWanted();
}

/** Asks the browser; call it from a click handler only. Returns the permission now. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (!browserNotificationsSupported()) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  const answer = await Notification.requestPermission();
  if (answer === 'granted') setBrowserNotificationsWanted(true);
  return answer;
}

/** Calls `onChange` when the permission changes in the browser's settings (where the browser says so). */
export function watchDesktopPermission(onChange: (p: DesktopPermission) => void): () => void {
  let status: PermissionStatus | null = null;
  let stopped = false;
  const update = () => onChange(desktopPermission());
  navigator.permissions
    ?.query({ name: 'notifications' })
    .then((s) => {
      if (stopped) return;
      status = s;
      s.addEventListener('change', update);
    })
    .catch(() => {});
  // Some browsers do not announce changes: look again when the user comes back to the tab.
  document.addEventListener('visibilitychange', update);
  return () => {
    stopped = true;
    status?.removeEventListener('change', update);
    document.removeEventListener('visibilitychange', update);
  };
}

/** How to undo a refusal: browsers never ask twice. */
export const DENIED_HINT =
  'Blocked in this browser. To allow them, open the site settings (the icon left of the address) → Notifications → Allow, then reload Chorus.';

export interface DesktopCandidate {
  kind: 'MENTION' | 'MESSAGE';
  isGroup: boolean;
  roomId: string;
  senderId: string | null | undefined;
}

/**
 * Whether an alert deserves a desktop notification: a mention, or a message in a direct room, by someone
 * else, while the tab is hidden (a visible tab has its toasts, and the open room its messages).
 */
export function wantsDesktopNotification(
  alert: DesktopCandidate,
  context: { meId: string | null | undefined; hidden: boolean },
): boolean {
  if (!context.hidden) return false;
  if (alert.senderId && alert.senderId === context.meId) return false;
  return alert.kind === 'MENTION' || !alert.isGroup;
}

export function notifyBrowser(title: string, body: string, roomId: string): void {
  try {
    const n = new Notification(title, { body, tag: `chorus-${roomId}`, icon: '/favicon.svg' });
    n.onclick = () => {
      window.focus();
      navigate(`/r/${roomId}`);
      n.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}
