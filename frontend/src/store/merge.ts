// Pure state transitions of the chat data: history pages, mutation results and live room events merged into one
// ordered, de-duplicated view per room and per thread. No I/O here; the Zustand store (chat.ts) wraps these.
import type {
  MessageFieldsFragment,
  RoomEventsSubscription,
  RoomFieldsFragment,
  PresenceStatus,
} from '../gql/graphql';

export type RoomEvent = RoomEventsSubscription['roomEvents'];
export type Room = RoomFieldsFragment;
export type RoomMember = Room['members'][number];

export interface LocalState {
  status: 'sending' | 'failed';
  error?: string;
  /** Insertion order among local messages. */
  order: number;
}

export type Message = MessageFieldsFragment & { local?: LocalState };

/** Messages of one room (top level) or one thread, ordered by `seq`, local (unsent) ones last. */
export interface MessageList {
  byId: Record<string, Message>;
  ids: string[];
  /** Seq of the last live event applied to each message: older snapshots never overwrite newer events. */
  versions: Record<string, number>;
}

export type Source = { kind: 'history' } | { kind: 'mutation' } | { kind: 'event'; seq: number };

export interface TypingEntry {
  nickname: string;
  until: number;
}

export interface PresenceEntry {
  status: PresenceStatus;
  lastSeenAt: string | null;
}

export interface ChatData {
  rooms: Record<string, Room>;
  /** Seq of the last room event applied: the `afterSeq` to resume from. */
  eventSeq: Record<string, number>;
  messages: Record<string, MessageList>;
  threads: Record<string, MessageList>;
  typing: Record<string, Record<string, TypingEntry>>;
  presence: Record<string, PresenceEntry>;
}

export const TYPING_TTL_MS = 6_000;
export const localId = (clientId: string) => `local:${clientId}`;
export const isLocal = (id: string) => id.startsWith('local:');

export function emptyList(): MessageList {
  return { byId: {}, ids: [], versions: {} };
}

export function emptyChat(): ChatData {
  return { rooms: {}, eventSeq: {}, messages: {}, threads: {}, typing: {}, presence: {} };
}

function sortIds(byId: Record<string, Message>): string[] {
  return Object.keys(byId).sort((a, b) => {
    const ma = byId[a];
    const mb = byId[b];
    const la = ma.local ? 1 : 0;
    const lb = mb.local ? 1 : 0;
    if (la !== lb) return la - lb;
    if (ma.local && mb.local) return ma.local.order - mb.local.order;
    return ma.seq - mb.seq || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** Inserts or updates messages by id, drops the local copy a server message replaces (same clientId). */
export function upsertMessages(list: MessageList, incoming: readonly Message[], source: Source): MessageList {
  if (incoming.length === 0) return list;
  const byId = { ...list.byId };
  const versions = { ...list.versions };
  let changed = false;
  for (const m of incoming) {
    if (m.clientId && !isLocal(m.id) && byId[localId(m.clientId)]) {
      delete byId[localId(m.clientId)];
      changed = true;
    }
    const existing = byId[m.id];
    const version = versions[m.id] ?? 0;
    let apply: boolean;
    switch (source.kind) {
      case 'history':
        apply = !existing || version === 0;
        break;
      case 'mutation':
        apply = true;
        break;
      case 'event':
        apply = !existing || source.seq >= version;
        if (apply) versions[m.id] = Math.max(version, source.seq);
        break;
    }
    if (apply && existing !== m) {
      byId[m.id] = m;
      changed = true;
    }
  }
  if (!changed) return list;
  return { byId, ids: sortIds(byId), versions };
}

export function removeMessage(list: MessageList, id: string): MessageList {
  if (!list.byId[id]) return list;
  const byId = { ...list.byId };
  delete byId[id];
  return { byId, ids: list.ids.filter((x) => x !== id), versions: list.versions };
}

let localCounter = 0;

export interface OptimisticInput {
  clientId: string;
  roomId: string;
  content: string;
  parentId: string | null;
  sender: NonNullable<Message['sender']>;
  now: string;
}

/** The message as shown while it is being sent. */
export function optimisticMessage(input: OptimisticInput): Message {
  return {
    id: localId(input.clientId),
    roomId: input.roomId,
    seq: 0,
    parentId: input.parentId,
    content: input.content,
    clientId: input.clientId,
    createdAt: input.now,
    editedAt: null,
    deletedAt: null,
    replyCount: 0,
    lastReplyAt: null,
    sender: input.sender,
    attachments: [],
    reactions: [],
    mentions: [],
    seenBy: [],
    local: { status: 'sending', order: ++localCounter },
  };
}

export function addLocal(list: MessageList, message: Message): MessageList {
  const byId = { ...list.byId, [message.id]: message };
  return { byId, ids: sortIds(byId), versions: list.versions };
}

export function setLocalStatus(
  list: MessageList,
  clientId: string,
  status: LocalState['status'],
  error?: string,
): MessageList {
  const id = localId(clientId);
  const m = list.byId[id];
  if (!m?.local) return list;
  return { ...list, byId: { ...list.byId, [id]: { ...m, local: { ...m.local, status, error } } } };
}

// ---------------------------------------------------------------------------------------------------------
// Rooms

/** Rooms ordered by last activity (newest message, else creation), newest first. */
export function roomsByActivity(rooms: Record<string, Room>): Room[] {
  const activity = (r: Room) => r.lastMessage?.createdAt ?? r.createdAt;
  return Object.values(rooms).sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0));
}

/** Replaces the room list with a fresh server copy, keeping the resume points already held. */
export function setRooms(data: ChatData, rooms: readonly Room[]): ChatData {
  const next: Record<string, Room> = {};
  const eventSeq = { ...data.eventSeq };
  const presence = { ...data.presence };
  for (const r of rooms) {
    next[r.id] = r;
    eventSeq[r.id] ??= r.lastSeq;
    for (const m of r.members) presence[m.user.id] ??= m.user.presence;
  }
  return { ...data, rooms: next, eventSeq, presence };
}

export function upsertRoom(data: ChatData, room: Room): ChatData {
  const presence = { ...data.presence };
  for (const m of room.members) presence[m.user.id] ??= m.user.presence;
  return {
    ...data,
    rooms: { ...data.rooms, [room.id]: { ...data.rooms[room.id], ...room } },
    eventSeq: { ...data.eventSeq, [room.id]: data.eventSeq[room.id] ?? room.lastSeq },
    presence,
  };
}

export function dropRoom(data: ChatData, roomId: string): ChatData {
  const rooms = { ...data.rooms };
  delete rooms[roomId];
  return { ...data, rooms };
}

function patchRoom(data: ChatData, roomId: string, patch: (r: Room) => Room): ChatData {
  const room = data.rooms[roomId];
  if (!room) return data;
  return { ...data, rooms: { ...data.rooms, [roomId]: patch(room) } };
}

// ---------------------------------------------------------------------------------------------------------
// Live events

export interface EventContext {
  meId: string;
  /** The room on screen (its new messages are read as they come). */
  activeRoomId: string | null;
  now: number;
}

function bumpReplyCount(list: MessageList | undefined, reply: Message): MessageList | undefined {
  const parentId = reply.parentId;
  if (!list || !parentId) return list;
  const parent = list.byId[parentId];
  // A snapshot taken after this reply already counts it.
  if (!parent || (parent.lastReplyAt && parent.lastReplyAt >= reply.createdAt)) return list;
  const updated = { ...parent, replyCount: parent.replyCount + 1, lastReplyAt: reply.createdAt };
  return { ...list, byId: { ...list.byId, [parentId]: updated } };
}

function placeMessage(data: ChatData, message: Message, source: Source): ChatData {
  if (message.parentId) {
    const thread = data.threads[message.parentId] ?? emptyList();
    return { ...data, threads: { ...data.threads, [message.parentId]: upsertMessages(thread, [message], source) } };
  }
  const list = data.messages[message.roomId] ?? emptyList();
  let next: ChatData = {
    ...data,
    messages: { ...data.messages, [message.roomId]: upsertMessages(list, [message], source) },
  };
  next = patchRoom(next, message.roomId, (r) =>
    r.lastMessage && r.lastMessage.id !== message.id && r.lastMessage.seq > message.seq
      ? r
      : { ...r, lastMessage: message },
  );
  return next;
}

/** Whether an event was already applied (a replay after reconnecting). Ephemeral events (seq null) never are. */
export function isDuplicate(data: ChatData, event: RoomEvent): boolean {
  const seq = event.seq ?? null;
  return seq !== null && seq <= (data.eventSeq[event.roomId] ?? 0);
}

/** Applies one live room event. Replayed events (seq already applied) change nothing. */
export function applyRoomEvent(data: ChatData, event: RoomEvent, ctx: EventContext): ChatData {
  const seq = event.seq ?? null;
  if (isDuplicate(data, event)) return data;
  let next = data;
  if (seq !== null) {
    next = { ...next, eventSeq: { ...next.eventSeq, [event.roomId]: seq } };
    next = patchRoom(next, event.roomId, (r) => (r.lastSeq >= seq ? r : { ...r, lastSeq: seq }));
  }
  const version = seq ?? 0;
  switch (event.__typename) {
    case 'MessageAdded': {
      const m = event.message;
      next = placeMessage(next, m, { kind: 'event', seq: version });
      if (m.parentId) {
        const list = bumpReplyCount(next.messages[m.roomId], m);
        if (list) next = { ...next, messages: { ...next.messages, [m.roomId]: list } };
      }
      const fromOther = m.sender?.id !== ctx.meId;
      if (fromOther && m.sender) {
        const typing = next.typing[m.roomId];
        if (typing?.[m.sender.id]) {
          const rest = { ...typing };
          delete rest[m.sender.id];
          next = { ...next, typing: { ...next.typing, [m.roomId]: rest } };
        }
      }
      if (fromOther && ctx.activeRoomId !== m.roomId) {
        const mentionsMe = m.mentions.some((u) => u.id === ctx.meId);
        next = patchRoom(next, m.roomId, (r) => ({
          ...r,
          unreadCount: r.unreadCount + (m.parentId ? 0 : 1),
          unreadMentionCount: r.unreadMentionCount + (mentionsMe ? 1 : 0),
        }));
      }
      return next;
    }
    case 'MessageEdited':
    case 'MessageDeleted':
    case 'ReactionChanged':
      return placeMessage(next, event.message, { kind: 'event', seq: version });
    case 'ReadReceipt':
      next = patchRoom(next, event.roomId, (r) => ({
        ...r,
        members: r.members.map((mb) =>
          mb.user.id === event.user.id && (mb.lastReadSeq ?? 0) <= event.lastReadSeq
            ? { ...mb, lastReadSeq: event.lastReadSeq, seenAt: event.seenAt }
            : mb,
        ),
        ...(event.user.id === ctx.meId && r.lastMessage && event.lastReadSeq >= r.lastMessage.seq
          ? { unreadCount: 0, unreadMentionCount: 0 }
          : {}),
      }));
      return next;
    case 'TypingStarted': {
      if (event.user.id === ctx.meId) return next;
      const room = { ...next.typing[event.roomId] };
      room[event.user.id] = { nickname: event.user.nickname, until: ctx.now + TYPING_TTL_MS };
      return { ...next, typing: { ...next.typing, [event.roomId]: room } };
    }
    case 'MemberJoined': {
      const user = event.user;
      next = patchRoom(next, event.roomId, (r) =>
        r.members.some((mb) => mb.user.id === user.id)
          ? r
          : {
              ...r,
              members: [...r.members, { user, role: 'MEMBER', joinedAt: event.at, seenAt: null, lastReadSeq: null }],
            },
      );
      return { ...next, presence: { ...next.presence, [user.id]: next.presence[user.id] ?? user.presence } };
    }
    case 'MemberRoleChanged':
      return patchRoom(next, event.roomId, (r) => ({
        ...r,
        members: r.members.map((mb) => (mb.user.id === event.user.id ? { ...mb, role: event.role } : mb)),
      }));
    case 'MemberLeft':
      if (event.user.id === ctx.meId) return dropRoom(next, event.roomId);
      return patchRoom(next, event.roomId, (r) => ({
        ...r,
        members: r.members.filter((mb) => mb.user.id !== event.user.id),
      }));
  }
}

/** Who is typing in a room now (never me). */
export function typingNames(data: Pick<ChatData, 'typing'>, roomId: string, now: number): string[] {
  const room = data.typing[roomId] ?? {};
  return Object.values(room)
    .filter((t) => t.until > now)
    .map((t) => t.nickname)
    .sort();
}

export function typingLabel(names: string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** Members other than me and the sender whose read marker is at or past the message. */
export function seenBy(room: Room, message: Message, meId: string): string[] {
  const names = new Set<string>();
  for (const mb of room.members) {
    if (mb.user.id === meId || mb.user.id === message.sender?.id) continue;
    if ((mb.lastReadSeq ?? 0) >= message.seq) names.add(mb.user.nickname);
  }
  for (const u of message.seenBy) if (u.id !== meId && u.id !== message.sender?.id) names.add(u.nickname);
  return [...names].sort();
}

/** My read marker in a room. */
export function myLastReadSeq(room: Room, meId: string): number {
  return room.members.find((m) => m.user.id === meId)?.lastReadSeq ?? 0;
}

/** The other member of a direct room (or me, for notes to self). */
export function dmPartner(room: Room, meId: string): RoomMember['user'] | null {
  if (room.isGroup) return null;
  return room.members.find((m) => m.user.id !== meId)?.user ?? room.members[0]?.user ?? null;
}

export function roomTitle(room: Room, meId: string): string {
  if (room.isGroup) return room.name ?? 'Group';
  const partner = dmPartner(room, meId);
  if (!partner) return 'Direct message';
  return partner.id === meId ? `${partner.nickname} (you)` : partner.nickname;
}
