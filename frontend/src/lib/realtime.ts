// Live updates: one socket, a `roomEvents` subscription per room I am in (resumed with `afterSeq` = the last
// seq applied, so nothing is lost or doubled across reconnects), presence of the people I share rooms with,
// and my mentions and notifications (toasts, browser notifications).
import type { Client } from 'graphql-ws';
import {
  MentionsDocument,
  NotificationsDocument,
  PresenceDocument,
  RoomEventsDocument,
  UserPresenceDocument,
  type MentionsSubscription,
  type NotificationsSubscription,
  type PresenceSubscription,
  type RoomEventsSubscription,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { createSocket, backoffMs } from './ws';
import { execute } from './execute';
import { notifyBrowser, notificationsAllowed } from './notify';

type Dispose = () => void;

interface Handlers {
  /** Reconnected after a drop: refresh what is not carried by room events (unread counts, new rooms). */
  onResync(): void;
  /** Someone added me to a room. */
  onInvite(roomId: string): void;
}

export class Realtime {
  private client: Client;
  private rooms = new Map<string, Dispose | null>();
  private presenceUsers: string[] = [];
  private presenceSub: Dispose | null = null;
  private personal: Dispose[] = [];
  private connected = false;
  private everConnected = false;
  private stopped = false;
  private seenToasts = new Set<string>();

  constructor(private handlers: Handlers) {
    const chat = useChat.getState();
    chat.setConnection('connecting');
    this.client = createSocket({
      connecting: () => {
        if (!this.everConnected) useChat.getState().setConnection('connecting');
      },
      connected: (wasRetry) => {
        this.connected = true;
        this.everConnected = true;
        useChat.getState().setConnection('connected');
        for (const roomId of this.rooms.keys()) this.openRoom(roomId);
        this.openPresence();
        if (wasRetry) this.handlers.onResync();
      },
      closed: () => {
        if (this.stopped) return;
        const wasConnected = this.connected;
        this.connected = false;
        if (wasConnected || this.everConnected) useChat.getState().setConnection('reconnecting');
        // Room subscriptions are reopened on connect with the latest seq held (graphql-ws would replay the
        // original variables).
        for (const [roomId, dispose] of this.rooms) {
          dispose?.();
          this.rooms.set(roomId, null);
        }
        this.presenceSub?.();
        this.presenceSub = null;
      },
    });
    this.personal.push(
      this.forever<MentionsSubscription>(MentionsDocument.toString(), {}, (data) => this.onMention(data)),
      this.forever<NotificationsSubscription>(NotificationsDocument.toString(), {}, (data) =>
        this.onNotification(data),
      ),
    );
  }

  /** Subscribes to exactly these rooms. */
  syncRooms(roomIds: readonly string[]): void {
    const wanted = new Set(roomIds);
    for (const [roomId, dispose] of this.rooms) {
      if (!wanted.has(roomId)) {
        dispose?.();
        this.rooms.delete(roomId);
      }
    }
    for (const roomId of wanted) {
      if (!this.rooms.has(roomId)) {
        this.rooms.set(roomId, null);
        if (this.connected) this.openRoom(roomId);
      }
    }
  }

  /** Watches the presence of these users. */
  syncPresence(userIds: readonly string[]): void {
    const next = [...new Set(userIds)].sort();
    if (next.join(',') === this.presenceUsers.join(',')) return;
    this.presenceUsers = next;
    if (this.connected) this.openPresence();
  }

  stop(): void {
    this.stopped = true;
    for (const dispose of this.rooms.values()) dispose?.();
    this.rooms.clear();
    this.presenceSub?.();
    for (const d of this.personal) d();
    void this.client.dispose();
    useChat.getState().setConnection('idle');
  }

  private openRoom(roomId: string): void {
    this.rooms.get(roomId)?.();
    const afterSeq = useChat.getState().eventSeq[roomId];
    const dispose = this.client.subscribe<RoomEventsSubscription>(
      { query: RoomEventsDocument.toString(), variables: { roomId, afterSeq: afterSeq ?? null } },
      {
        next: ({ data }) => {
          if (data?.roomEvents) useChat.getState().applyEvent(data.roomEvents);
        },
        error: (err) => {
          console.warn('roomEvents', roomId, err);
          if (this.rooms.get(roomId) === dispose) this.rooms.set(roomId, null);
        },
        complete: () => {},
      },
    );
    this.rooms.set(roomId, dispose);
  }

  private openPresence(): void {
    this.presenceSub?.();
    this.presenceSub = null;
    if (this.presenceUsers.length === 0) return;
    this.presenceSub = this.client.subscribe<PresenceSubscription>(
      { query: PresenceDocument.toString(), variables: { userIds: this.presenceUsers } },
      {
        next: ({ data }) => {
          const p = data?.presence;
          if (!p) return;
          useChat.getState().setPresence(p.user.id, p.status, p.lastSeenAt);
          // A reload closes one socket and opens another: the OFFLINE of the old one can arrive after the
          // ONLINE of the new one. Confirm an OFFLINE with the server's current view.
          if (p.status === 'OFFLINE') this.confirmPresence(p.user.id);
        },
        error: (err) => console.warn('presence', err),
        complete: () => {},
      },
    );
  }

  private confirmPresence(userId: string): void {
    setTimeout(() => {
      if (this.stopped) return;
      execute(UserPresenceDocument, { id: userId })
        .then(({ user }) => {
          if (user) useChat.getState().setPresence(user.id, user.presence.status, user.presence.lastSeenAt);
        })
        .catch(() => {});
    }, 1_500);
  }

  /** A subscription that is reopened (with back-off) when the server ends it with an error. */
  private forever<T>(query: string, variables: Record<string, unknown>, next: (data: T) => void): Dispose {
    let dispose: Dispose | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempts = 0;
    let stopped = false;
    const open = () => {
      dispose = this.client.subscribe<T>(
        { query, variables },
        {
          next: ({ data }) => {
            attempts = 0;
            if (data) next(data as T);
          },
          error: (err) => {
            console.warn('subscription error', err);
            if (!stopped) timer = setTimeout(open, backoffMs(Math.min(attempts++, 6)) + 2_000);
          },
          complete: () => {},
        },
      );
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      dispose?.();
    };
  }

  private onMention(data: MentionsSubscription): void {
    const { by, room, message } = data.mentions;
    const chat = useChat.getState();
    if (this.seenToasts.has(message.id)) return;
    this.seenToasts.add(message.id);
    const where = room.isGroup ? `#${room.name ?? 'group'}` : 'a direct message';
    const title = `${by.nickname} mentioned you in ${where}`;
    const body = message.content ?? '';
    chat.pushToast({ kind: 'mention', title, body, roomId: room.id });
    if (document.hidden && notificationsAllowed()) notifyBrowser(title, body, room.id);
  }

  private onNotification(data: NotificationsSubscription): void {
    const n = data.notifications;
    const chat = useChat.getState();
    if (n.kind === 'INVITE') {
      this.handlers.onInvite(n.room.id);
      chat.pushToast({ kind: 'info', title: 'New conversation', body: `You were added to ${n.room.name ?? 'a room'}`, roomId: n.room.id });
      return;
    }
    if (!chat.rooms[n.room.id]) this.handlers.onInvite(n.room.id); // a room that came back (a DM I had left)
    const message = n.message;
    if (!message || this.seenToasts.has(message.id)) return;
    if (n.kind === 'MENTION') return; // shown by the mention alert
    if (chat.activeRoomId === n.room.id && !document.hidden) return;
    this.seenToasts.add(message.id);
    const sender = message.sender?.nickname ?? 'Someone';
    const title = n.room.isGroup ? `${sender} in #${n.room.name ?? 'group'}` : sender;
    const body = message.content ?? (message.attachments.length ? 'sent an image' : '');
    chat.pushToast({ kind: 'message', title, body, roomId: n.room.id });
    if (document.hidden && notificationsAllowed()) notifyBrowser(title, body, n.room.id);
  }
}
