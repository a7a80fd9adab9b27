// Live updates over one graphql-ws socket: a single `events` subscription carries everything of mine (the
// events of every room I am in, rooms added and removed, profile changes, my notifications and mention
// alerts, typing), and `presence` the people I share rooms with. The server caps the operations of a socket,
// so rooms are never subscribed one by one.
//
// Resuming: graphql-ws sends a subscription's payload again on every reconnect, and its `variables` are read
// at that moment (a getter), so each (re)subscribe lists the last seq held per room (`positions`) and the
// server replays exactly what was missed; a replay overlapping what is held is dropped by seq (merge.ts).
import type { Client } from 'graphql-ws';
import {
  EventsDocument,
  RoomDocument,
  PresenceDocument,
  UserPresenceDocument,
  type EventsSubscription,
  type PresenceSubscription,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { positions, type Profile, type ViewerEvent } from '../store/merge';
import { createSocket, backoffMs } from './ws';
import { execute, persistedMiss, persistedPayload } from './execute';
import { notifyBrowser, notificationsAllowed, wantsDesktopNotification } from './notify';
import { getSession } from './session';

type Dispose = () => void;
type Of<K extends ViewerEvent['__typename']> = Extract<ViewerEvent, { __typename: K }>;

interface Handlers {
  /** Reconnected after a drop: refresh what the stream does not replay (unread counts, rooms joined meanwhile). */
  onResync(): void;
  /** Events or a notification of a room not in my list (joined while disconnected): fetch the list. */
  onUnknownRoom(roomId: string): void;
  /** Someone's new nickname or avatar (the store is already updated). */
  onProfile(user: Profile): void;
}

export class Realtime {
  private client: Client;
  private events: Dispose | null = null;
  private presenceUsers: string[] = [];
  private presenceSub: Dispose | null = null;
  private connected = false;
  private everConnected = false;
  private stopped = false;
  private seenToasts = new Set<string>();
  /** Unknown rooms the list was fetched for on this connection (once each). */
  private asked = new Set<string>();
  /** Rooms whose counts are being fetched again after a mention (one fetch at a time per room). */
  private recount = new Set<string>();

  constructor(private handlers: Handlers) {
    const chat = useChat.getState();
    chat.setConnection('connecting');
    this.client = createSocket({
      connecting: () => {
        if (!this.everConnected) useChat.getState().setConnection('connecting');
      },
      connected: (wasRetry) => {
        const again = this.everConnected;
        this.connected = true;
        this.everConnected = true;
        this.asked.clear();
        useChat.getState().setConnection('connected');
        this.openPresence();
        if (wasRetry || again) this.handlers.onResync();
      },
      closed: () => {
        if (this.stopped) return;
        const wasConnected = this.connected;
        this.connected = false;
        if (wasConnected || this.everConnected) useChat.getState().setConnection('reconnecting');
        // Reopened on connect with the users of that moment (graphql-ws would replay the old list).
        this.presenceSub?.();
        this.presenceSub = null;
      },
    });
  }

  /**
   * Opens the `events` stream. Call once the room list is held: its rooms then resume from the seq the list
   * counted up to, so nothing between the list and the stream is missed.
   */
  start(): void {
    if (this.events || this.stopped) return;
    this.events = this.forever<EventsSubscription>(
      EventsDocument,
      () => ({ positions: positions(useChat.getState()) }),
      (data) => this.onEvent(data.events),
      // Reopened after the server ended it: rooms joined meanwhile are not announced again.
      () => this.handlers.onResync(),
    );
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
    this.events?.();
    this.events = null;
    this.presenceSub?.();
    void this.client.dispose();
    useChat.getState().setConnection('idle');
  }

  private onEvent(event: ViewerEvent): void {
    const chat = useChat.getState();
    switch (event.__typename) {
      case 'NotificationAdded':
        this.onNotification(event);
        return;
      case 'MentionAlert':
        this.onMention(event);
        return;
      case 'UserUpdated':
        chat.applyEvent(event);
        this.handlers.onProfile(event.user);
        return;
      case 'RoomAdded':
      case 'RoomRemoved':
        chat.applyEvent(event);
        return;
      default: {
        const leaving = event.__typename === 'MemberLeft' && event.user.id === chat.meId;
        if (!chat.rooms[event.roomId] && !leaving) this.askForRoom(event.roomId);
        chat.applyEvent(event);
      }
    }
  }

  private askForRoom(roomId: string): void {
    if (this.asked.has(roomId)) return;
    this.asked.add(roomId);
    this.handlers.onUnknownRoom(roomId);
  }

  private openPresence(): void {
    this.presenceSub?.();
    this.presenceSub = null;
    if (this.presenceUsers.length === 0) return;
    this.presenceSub = this.client.subscribe<PresenceSubscription>(
      { ...persistedPayload(PresenceDocument), variables: { userIds: this.presenceUsers } },
      {
        next: ({ data }) => {
          const p = data?.presence;
          if (!p) return;
          useChat.getState().setPresence(p.user.id, p.status, p.lastSeenAt);
          // A reload closes one socket and opens another: the OFFLINE of the old one can arrive after the
          // ONLINE of the new one. Confirm an OFFLINE with the server's current view.
          if (p.status === 'OFFLINE') this.confirmPresence(p.user.id);
        },
        error: (err) => {
          // A server that does not know the hash: open it again with the text.
          if (persistedMiss(Array.isArray(err) ? err : undefined)) this.openPresence();
          else console.warn('presence', err);
        },
        complete: () => {},
      },
    );
  }

  /**
   * A mention alert means the server counts a mention the room's events may not show (`@here`, `@everyone`
   * and `@room` name nobody in `mentions`): its counts are fetched again, after a random pause so an
   * `@everyone` in a large room does not bring every member back at the same instant.
   */
  private recountMentions(roomId: string): void {
    if (this.recount.has(roomId)) return;
    this.recount.add(roomId);
    setTimeout(() => {
      if (this.stopped) return;
      execute(RoomDocument, { id: roomId })
        .then(({ room }) => {
          if (room) useChat.getState().upsertRoom(room);
        })
        .catch(() => {})
        .finally(() => this.recount.delete(roomId));
    }, 250 + Math.random() * 1_250);
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

  /**
   * A subscription that graphql-ws resubscribes on every reconnect with `variables()` read then, and that is
   * opened again (with back-off) when the server ends it.
   */
  private forever<T>(
    document: Parameters<typeof persistedPayload>[0],
    variables: () => Record<string, unknown>,
    next: (data: T) => void,
    reopened: () => void,
  ): Dispose {
    let dispose: Dispose | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempts = 0;
    let stopped = false;
    const reopen = () => {
      if (!stopped && !timer) timer = setTimeout(open, backoffMs(Math.min(attempts++, 6)) + 2_000);
    };
    const open = () => {
      if (timer) reopened();
      timer = null;
      dispose = this.client.subscribe<T>(
        {
          // Built at each (re)subscribe: hash alone, or text after the server said it lacks the hash.
          get query() {
            return persistedPayload(document).query;
          },
          get extensions() {
            return persistedPayload(document).extensions;
          },
          get variables() {
            return variables();
          },
        },
        {
          next: ({ data }) => {
            attempts = 0;
            if (data) next(data as T);
          },
          error: (err) => {
            if (persistedMiss(Array.isArray(err) ? err : undefined)) {
              // Sent again at once, as text.
              dispose?.();
              open();
              return;
            }
            console.warn('subscription error', err);
            reopen();
          },
          complete: reopen,
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

  private onMention({ by, room, message }: Of<'MentionAlert'>): void {
    const chat = useChat.getState();
    // The open room is read as it comes; its counts clear with the read marker.
    if (chat.activeRoomId !== room.id || document.hidden) this.recountMentions(room.id);
    if (this.seenToasts.has(message.id)) return;
    this.seenToasts.add(message.id);
    const where = room.isGroup ? `#${room.name ?? 'group'}` : 'a direct message';
    const title = `${by.nickname} mentioned you in ${where}`;
    const body = message.content ?? '';
    chat.pushToast({ kind: 'mention', title, body, roomId: room.id });
    this.desktop({ kind: 'MENTION', isGroup: room.isGroup, roomId: room.id, senderId: by.id }, title, body);
  }

  private onNotification({ notification: n }: Of<'NotificationAdded'>): void {
    const chat = useChat.getState();
    // The room itself comes with `RoomAdded`; the list is fetched too should that have been missed.
    if (!chat.rooms[n.room.id]) this.askForRoom(n.room.id);
    if (n.kind === 'INVITE') {
      chat.pushToast({ kind: 'info', title: 'New conversation', body: `You were added to ${n.room.name ?? 'a room'}`, roomId: n.room.id });
      return;
    }
    const message = n.message;
    if (!message || this.seenToasts.has(message.id)) return;
    if (n.kind === 'MENTION') return; // shown by the mention alert
    if (chat.activeRoomId === n.room.id && !document.hidden) return;
    this.seenToasts.add(message.id);
    const sender = message.sender?.nickname ?? 'Someone';
    const title = n.room.isGroup ? `${sender} in #${n.room.name ?? 'group'}` : sender;
    const body = message.content ?? (message.attachments.length ? 'sent an image' : '');
    chat.pushToast({ kind: 'message', title, body, roomId: n.room.id });
    this.desktop({ kind: 'MESSAGE', isGroup: n.room.isGroup, roomId: n.room.id, senderId: message.sender?.id }, title, body);
  }

  /** A desktop notification for a mention or a direct message while the tab is hidden, when allowed. */
  private desktop(alert: Parameters<typeof wantsDesktopNotification>[0], title: string, body: string): void {
    if (!notificationsAllowed()) return;
    if (!wantsDesktopNotification(alert, { meId: getSession()?.user.id, hidden: document.hidden })) return;
    notifyBrowser(title, body, alert.roomId);
  }
}
