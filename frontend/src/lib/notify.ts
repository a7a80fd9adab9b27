// Browser notifications (when the tab is hidden), switched on from the settings panel.
import { navigate } from './router';

const KEY = 'chorus.browserNotifications';

export function browserNotificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationsAllowed(): boolean {
  return (
    browserNotificationsSupported() &&
    Notification.permission === 'granted' &&
    localStorage.getItem(KEY) === 'on'
  );
}

export function browserNotificationsWanted(): boolean {
  return localStorage.getItem(KEY) === 'on';
}

/** Turns browser notifications on (asking permission) or off; returns whether they are on. */
export async function setBrowserNotifications(on: boolean): Promise<boolean> {
  if (!on || !browserNotificationsSupported()) {
    localStorage.setItem(KEY, 'off');
    return false;
  }
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  const granted = permission === 'granted';
  localStorage.setItem(KEY, granted ? 'on' : 'off');
  return granted;
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
