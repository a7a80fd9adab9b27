// The one owner of the client's state: server data (me, rooms, messages per room, threads, typing, presence)
// as the fetchers (lib/queries.ts), my writes (lib/actions.ts) and live events (lib/realtime.ts) hand it in,
// plus UI state (the room and thread on screen, connection, toasts). TanStack Query only runs the fetches:
// components read server data from here, never from a query result. Every data change goes through the pure
// functions of merge.ts.
import { create } from 'zustand';
import type { MessageFieldsFragment, PresenceStatus } from '../gql/graphql';
import {
  addLocal,
  applyProfile,
  applySent,
  applyViewerEvent,
  dropRoom,
  emptyChat,
  emptyList,
  optimisticMessage,
  setLocalStatus,
  setRooms,
  upsertMessages,
  upsertRoom,
  type ChatData,
  type Message,
  type Reply,
  type OptimisticInput,
  type Profile,
  type Room,
  type Source,
  type ViewerData,
  type ViewerEvent,
} from './merge';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export interface Toast {
  id: string;
  title: string;
  body: string;
  roomId?: string;
  kind: 'mention' | 'message' | 'info' | 'error';
  /** Messages this toast stands for (one toast per room). */
  count: number;
  /** Epoch ms after which it goes away (pushed again, it stays longer). */
  until: number;
}

export const TOAST_MS = 6_000;
const MAX_TOASTS = 4;

/**
 * The toasts after a new one: none for the room on screen, one per room (the newest message, counted, a
 * mention keeps the toast a mention), at most four.
 */
export function addToast(
  toasts: readonly Toast[],
  toast: Omit<Toast, 'id' | 'count' | 'until'>,
  ctx: { activeRoomId: string | null; now: number; id: string },
): Toast[] {
  const grouped = toast.kind === 'message' || toast.kind === 'mention';
  if (grouped && toast.roomId && toast.roomId === ctx.activeRoomId) return [...toasts];
  const until = ctx.now + TOAST_MS;
  const same = grouped ? toasts.find((t) => t.roomId === toast.roomId && (t.kind === 'message' || t.kind === 'mention')) : undefined;
  if (same) {
    const merged: Toast = {
      ...same,
      title: toast.kind === 'mention' || same.kind !== 'mention' ? toast.title : same.title,
      kind: same.kind === 'mention' ? 'mention' : toast.kind,
      body: toast.body,
      count: same.count + 1,
      until,
    };
    return [...toasts.filter((t) => t.id !== same.id), merged];
  }
  return [...toasts, { ...toast, id: ctx.id, count: 1, until }].slice(-MAX_TOASTS);
}

interface ChatState extends ChatData {
  meId: string | null;
  activeRoomId: string | null;
  activeThreadId: string | null;
  /** A reply to highlight in the open thread (a search hit on a thread reply). */
  threadFocusId: string | null;
  /** The message being edited: `room:<id>` or `thread:<id>` (a thread's root shows in both panes). */
  editingId: string | null;
  connection: ConnectionState;
  toasts: Toast[];

  reset(meId: string | null): void;
  setActiveRoom(roomId: string | null): void;
  setActiveThread(messageId: string | null, focusReplyId?: string | null): void;
  setEditing(editingId: string | null): void;
  setConnection(state: ConnectionState): void;
  setViewer(viewer: ViewerData): void;
  setRooms(rooms: readonly Room[]): void;
  upsertRoom(room: Room): void;
  patchRoom(roomId: string, patch: Partial<Room>): void;
  dropRoom(roomId: string): void;
  mergeHistory(roomId: string, messages: readonly MessageFieldsFragment[]): void;
  mergeThread(rootId: string, messages: readonly MessageFieldsFragment[]): void;
  mergeMessages(messages: readonly MessageFieldsFragment[], source: Source): void;
  /** The server's answer to my send or reply. */
  applySent(message: Reply, eventsBefore: Record<string, number>): void;
  /** One item of the `events` stream (room events de-duplicated by seq). */
  applyEvent(event: ViewerEvent): void;
  /** Someone's new nickname or avatar, everywhere it shows. */
  applyProfile(user: Profile): void;
  addOptimistic(input: OptimisticInput): Message;
  sendFailed(roomId: string, parentId: string | null, clientId: string, error: string): void;
  sendRetrying(roomId: string, parentId: string | null, clientId: string): void;
  setPresence(userId: string, status: PresenceStatus, lastSeenAt: string | null): void;
  pruneTyping(now: number): void;
  pushToast(toast: Omit<Toast, 'id' | 'count' | 'until'>): void;
  dismissToast(id: string): void;
}

let toastSeq = 0;

export const useChat = create<ChatState>()((set, get) => ({
  ...emptyChat(),
  meId: null,
  activeRoomId: null,
  activeThreadId: null,
  threadFocusId: null,
  editingId: null,
  connection: 'idle',
  toasts: [],

  reset: (meId) =>
    set({ ...emptyChat(), meId, activeRoomId: null, activeThreadId: null, threadFocusId: null, editingId: null, toasts: [], connection: 'idle' }),
  setActiveRoom: (roomId) =>
    set((s) => ({
      activeRoomId: roomId,
      activeThreadId: roomId === s.activeRoomId ? s.activeThreadId : null,
      threadFocusId: roomId === s.activeRoomId ? s.threadFocusId : null,
      // The room on screen needs no toast about itself.
      toasts: roomId ? s.toasts.filter((t) => t.roomId !== roomId || t.kind === 'info' || t.kind === 'error') : s.toasts,
    })),
  setActiveThread: (activeThreadId, focusReplyId = null) => set({ activeThreadId, threadFocusId: activeThreadId ? focusReplyId : null }),
  setEditing: (editingId) => set({ editingId }),
  setConnection: (connection) => set({ connection }),
  setViewer: (viewer) => set({ viewer }),
  setRooms: (rooms) => set((s) => setRooms(s, rooms)),
  upsertRoom: (room) => set((s) => upsertRoom(s, room)),
  patchRoom: (roomId, patch) =>
    set((s) => (s.rooms[roomId] ? { rooms: { ...s.rooms, [roomId]: { ...s.rooms[roomId], ...patch } } } : {})),
  dropRoom: (roomId) => set((s) => ({ ...dropRoom(s, roomId), activeRoomId: s.activeRoomId === roomId ? null : s.activeRoomId })),
  mergeHistory: (roomId, messages) =>
    set((s) => ({
      messages: { ...s.messages, [roomId]: upsertMessages(s.messages[roomId] ?? emptyList(), messages, { kind: 'history' }) },
    })),
  mergeThread: (rootId, messages) =>
    set((s) => ({
      threads: { ...s.threads, [rootId]: upsertMessages(s.threads[rootId] ?? emptyList(), messages, { kind: 'history' }) },
    })),
  mergeMessages: (messages, source) =>
    set((s) => {
      let messagesByRoom = s.messages;
      let threads = s.threads;
      for (const m of messages) {
        if (m.parentId) {
          threads = { ...threads, [m.parentId]: upsertMessages(threads[m.parentId] ?? emptyList(), [m], source) };
        } else {
          messagesByRoom = {
            ...messagesByRoom,
            [m.roomId]: upsertMessages(messagesByRoom[m.roomId] ?? emptyList(), [m], source),
          };
        }
      }
      return { messages: messagesByRoom, threads };
    }),
  applySent: (message, eventsBefore) => set((s) => applySent(s, message, eventsBefore)),
  applyEvent: (event) =>
    set((s) =>
      applyViewerEvent(s, event, { meId: s.meId ?? '', activeRoomId: s.activeRoomId, now: Date.now() }),
    ),
  applyProfile: (user) => set((s) => applyProfile(s, user)),
  addOptimistic: (input) => {
    const message = optimisticMessage(input);
    set((s) =>
      input.parentId
        ? { threads: { ...s.threads, [input.parentId]: addLocal(s.threads[input.parentId] ?? emptyList(), message) } }
        : { messages: { ...s.messages, [input.roomId]: addLocal(s.messages[input.roomId] ?? emptyList(), message) } },
    );
    return message;
  },
  sendFailed: (roomId, parentId, clientId, error) =>
    set((s) =>
      parentId
        ? { threads: { ...s.threads, [parentId]: setLocalStatus(s.threads[parentId] ?? emptyList(), clientId, 'failed', error) } }
        : { messages: { ...s.messages, [roomId]: setLocalStatus(s.messages[roomId] ?? emptyList(), clientId, 'failed', error) } },
    ),
  sendRetrying: (roomId, parentId, clientId) =>
    set((s) =>
      parentId
        ? { threads: { ...s.threads, [parentId]: setLocalStatus(s.threads[parentId] ?? emptyList(), clientId, 'sending') } }
        : { messages: { ...s.messages, [roomId]: setLocalStatus(s.messages[roomId] ?? emptyList(), clientId, 'sending') } },
    ),
  setPresence: (userId, status, lastSeenAt) =>
    set((s) => ({ presence: { ...s.presence, [userId]: { status, lastSeenAt } } })),
  pruneTyping: (now) => {
    const s = get();
    let changed = false;
    const typing: ChatData['typing'] = {};
    for (const [roomId, users] of Object.entries(s.typing)) {
      const kept: Record<string, { nickname: string; until: number }> = {};
      for (const [userId, t] of Object.entries(users)) {
        if (t.until > now) kept[userId] = t;
        else changed = true;
      }
      typing[roomId] = kept;
    }
    if (changed) set({ typing });
  },
  pushToast: (toast) => {
    const id = `t${++toastSeq}`;
    set((s) => ({ toasts: addToast(s.toasts, toast, { activeRoomId: s.activeRoomId, now: Date.now(), id }) }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.until > Date.now()) })), TOAST_MS + 50);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
