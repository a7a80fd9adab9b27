// Pure state transitions of the chat data: history pages, mutation results and live events (the one `events`
// stream of the viewer) merged into one ordered, de-duplicated view per room and per thread. No I/O here; the
// Zustand store (chat.ts) wraps these.
import type {
  EventsSubscription,
  MeQuery,
  MessageFieldsFragment,
  RoomFieldsFragment,
  PresenceStatus,
} from '../gql/graphql';

/** One item of the viewer's `events` stream. */
export type ViewerEvent = EventsSubscription['events'];
/** The items that are not events of one room. */
type ViewerOnly = 'RoomAdded' | 'RoomRemoved' | 'UserUpdated' | 'NotificationAdded' | 'MentionAlert';
/** Something that happened in a room (stored with a seq, or ephemeral typing). */
export type RoomEvent = Exclude<ViewerEvent, { __typename: ViewerOnly }>;
export type Room = RoomFieldsFragment;
/** Me as `me` answers: my profile, e-mail and notification switch. */
export type ViewerData = MeQuery['me'];
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

/**
 * Where a copy of a message comes from. A mutation's answer carries `eventsBefore`, the rooms' event seqs
 * when it was sent: a live event applied after that may be newer than the answer (a link preview, someone's
 * reaction), so the answer never overwrites it; the mutation's own event follows with the same content.
 */
export type Source =
  | { kind: 'history' }
  | { kind: 'mutation'; eventsBefore: Record<string, number> }
  | { kind: 'event'; seq: number };

export interface TypingEntry {
  nickname: string;
  until: number;
}

export interface PresenceEntry {
  status: PresenceStatus;
  lastSeenAt: string | null;
}

export interface ChatData {
  /** Me (null until `me` answered). */
  viewer: ViewerData | null;
  rooms: Record<string, Room>;
  /** Seq of the last room event applied: the `afterSeq` to resume from. */
  eventSeq: Record<string, number>;
  /**
   * Rooms announced by `RoomAdded` (until they are removed): a room list fetched before the join does not
   * drop them.
   */
  liveRooms: Record<string, true>;
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
  return { viewer: null, rooms: {}, eventSeq: {}, liveRooms: {}, messages: {}, threads: {}, typing: {}, presence: {} };
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
        // A live event's copy stays, but a page fetched now carries the freshest signed file URLs.
        if (!apply && existing) {
          const fresh = withFreshUrls(existing, m);
          if (fresh !== existing) {
            byId[m.id] = fresh;
            changed = true;
          }
        }
        break;
      case 'mutation':
        apply = version <= (source.eventsBefore[m.roomId] ?? 0);
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

/**
 * `existing` with the signed file URLs (attachments, sender's avatar) of `fresh`, a newer copy of the same
 * message: URLs expire, the rest of a newer event's copy must not be overwritten by an older snapshot.
 */
export function withFreshUrls(existing: Message, fresh: Message): Message {
  let next = existing;
  if (existing.attachments.length > 0) {
    const urls = new Map(fresh.attachments.map((a) => [a.id, a.url]));
    if (existing.attachments.some((a) => urls.has(a.id) && urls.get(a.id) !== a.url)) {
      next = { ...next, attachments: existing.attachments.map((a) => ({ ...a, url: urls.get(a.id) ?? a.url })) };
    }
  }
  if (existing.sender && fresh.sender && existing.sender.id === fresh.sender.id && existing.sender.avatarUrl !== fresh.sender.avatarUrl) {
    next = { ...next, sender: { ...existing.sender, avatarUrl: fresh.sender.avatarUrl } };
  }
  return next;
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
    displayName: null,
    displayAvatarUrl: null,
    sender: input.sender,
    linkPreview: null,
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

/** Rooms in the server's order: `lastActivityAt` newest first, the id breaking ties (also newest first). */
export function roomsByActivity(rooms: Record<string, Room>): Room[] {
  const cmp = <T extends string | number>(x: T, y: T) => (x < y ? 1 : x > y ? -1 : 0);
  return Object.values(rooms).sort(
    (a, b) => cmp(Date.parse(a.lastActivityAt), Date.parse(b.lastActivityAt)) || cmp(a.id, b.id),
  );
}

/**
 * A message was posted in the room (a reply too): the server sets the room's `lastActivityAt` to the
 * message's `createdAt` in the same write, so the copy held takes that value (never going back).
 */
function touchRoom(data: ChatData, message: Message): ChatData {
  return patchRoom(data, message.roomId, (r) =>
    Date.parse(r.lastActivityAt) >= Date.parse(message.createdAt) ? r : { ...r, lastActivityAt: message.createdAt },
  );
}

/**
 * A server copy of a room merged with the one held: the copy wins unless live events already took the held
 * one further (its `lastSeq` is higher); then the held counts, last message and read markers stay, because
 * the events that made them will not be applied again.
 */
export function mergeRoomSnapshot(held: Room | undefined, snapshot: Room): Room {
  if (!held || held.lastSeq <= snapshot.lastSeq) return snapshot;
  return {
    ...snapshot,
    lastSeq: held.lastSeq,
    lastMessage: held.lastMessage,
    lastActivityAt: held.lastActivityAt > snapshot.lastActivityAt ? held.lastActivityAt : snapshot.lastActivityAt,
    unreadCount: held.unreadCount,
    unreadMentionCount: held.unreadMentionCount,
    members: snapshot.members.map((m) => {
      const mine = held.members.find((h) => h.user.id === m.user.id);
      return mine && (mine.lastReadSeq ?? 0) > (m.lastReadSeq ?? 0) ? { ...m, lastReadSeq: mine.lastReadSeq, seenAt: mine.seenAt } : m;
    }),
  };
}

/**
 * Where to resume a room from once this copy of it is held: a room already held keeps its own position; a
 * room new to the list starts at the copy's `lastSeq` (the copy counts everything up to it), unless live
 * events already took it further.
 */
function resumeSeq(data: ChatData, room: Room): number {
  const held = data.eventSeq[room.id];
  if (data.rooms[room.id]) return held ?? room.lastSeq;
  return Math.max(held ?? 0, room.lastSeq);
}

/**
 * Replaces the room list with a fresh server copy, keeping the resume points already held and the rooms the
 * live stream announced since (the copy may have been taken before the join).
 */
export function setRooms(data: ChatData, rooms: readonly Room[]): ChatData {
  const next: Record<string, Room> = {};
  const eventSeq = { ...data.eventSeq };
  const presence = { ...data.presence };
  for (const r of rooms) {
    next[r.id] = mergeRoomSnapshot(data.rooms[r.id], r);
    eventSeq[r.id] = resumeSeq(data, r);
    for (const m of r.members) presence[m.user.id] ??= m.user.presence;
  }
  for (const id of Object.keys(data.liveRooms)) {
    if (!next[id] && data.rooms[id]) next[id] = data.rooms[id];
  }
  return { ...data, rooms: next, eventSeq, presence };
}

export function upsertRoom(data: ChatData, room: Room): ChatData {
  const presence = { ...data.presence };
  for (const m of room.members) presence[m.user.id] ??= m.user.presence;
  return {
    ...data,
    rooms: { ...data.rooms, [room.id]: mergeRoomSnapshot(data.rooms[room.id], room) },
    eventSeq: { ...data.eventSeq, [room.id]: resumeSeq(data, room) },
    presence,
  };
}

/** `RoomAdded`: I became a member (elsewhere, or someone opened a DM or invited me); it shows at once. */
export function addRoom(data: ChatData, room: Room): ChatData {
  const next = upsertRoom(data, room);
  return { ...next, liveRooms: { ...next.liveRooms, [room.id]: true } };
}

export function dropRoom(data: ChatData, roomId: string): ChatData {
  const rooms = { ...data.rooms };
  delete rooms[roomId];
  const liveRooms = { ...data.liveRooms };
  delete liveRooms[roomId];
  return { ...data, rooms, liveRooms };
}

/** The `positions` of the `events` subscription: the last seq held for every room in the list. */
export function positions(data: Pick<ChatData, 'rooms' | 'eventSeq'>): { roomId: string; afterSeq: number }[] {
  return Object.values(data.rooms)
    .map((r) => ({ roomId: r.id, afterSeq: data.eventSeq[r.id] ?? r.lastSeq }))
    .sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
}

/** A user's profile as `UserUpdated` carries it. */
export interface Profile {
  id: string;
  nickname: string;
  avatarUrl: string | null;
}

/**
 * `value` with every copy of the user in it (any object with their `id` and a `nickname`: senders, members,
 * mentions, reactions, "seen by") showing their current nickname and avatar. Unchanged parts keep their
 * identity, so nothing re-renders for nothing. Used on the store and on cached query results alike.
 */
export function withProfile<T>(value: T, user: Profile): T {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const n = withProfile(v, user);
      if (n !== v) changed = true;
      return n;
    });
    return (changed ? out : value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  if (obj.id === user.id && typeof obj.nickname === 'string') {
    const hasAvatar = 'avatarUrl' in obj;
    if (obj.nickname !== user.nickname || (hasAvatar && obj.avatarUrl !== user.avatarUrl)) {
      out = { ...obj, nickname: user.nickname, ...(hasAvatar ? { avatarUrl: user.avatarUrl } : {}) };
    }
  }
  for (const [key, v] of Object.entries(obj)) {
    if (v === null || typeof v !== 'object') continue;
    const n = withProfile(v, user);
    if (n !== v) {
      out ??= { ...obj };
      out[key] = n;
    }
  }
  return (out ?? value) as T;
}

/** `UserUpdated`: the new nickname and avatar everywhere they show (rooms, messages, threads, typing). */
export function applyProfile(data: ChatData, user: Profile): ChatData {
  let typing = data.typing;
  for (const [roomId, users] of Object.entries(data.typing)) {
    const t = users[user.id];
    if (t && t.nickname !== user.nickname) {
      typing = { ...typing, [roomId]: { ...users, [user.id]: { ...t, nickname: user.nickname } } };
    }
  }
  return {
    ...data,
    viewer: withProfile(data.viewer, user),
    rooms: withProfile(data.rooms, user),
    messages: withProfile(data.messages, user),
    threads: withProfile(data.threads, user),
    typing,
  };
}

function patchRoom(data: ChatData, roomId: string, patch: (r: Room) => Room): ChatData {
  const room = data.rooms[roomId];
  if (!room) return data;
  return { ...data, rooms: { ...data.rooms, [roomId]: patch(room) } };
}

/**
 * The answer to my send or reply: the message, and the room's last message and activity it makes.
 * `eventsBefore` is `eventSeq` as it was when the message was sent.
 */
export function applySent(data: ChatData, sent: Reply, eventsBefore: Record<string, number>): ChatData {
  const message = withoutParent(sent);
  const next = touchRoom(placeMessage(data, message, { kind: 'mutation', eventsBefore }), message);
  return applyThreadSummary(next, message.roomId, sent.parent);
}

// ---------------------------------------------------------------------------------------------------------
// Live events

export interface EventContext {
  meId: string;
  /** The room on screen (its new messages are read as they come). */
  activeRoomId: string | null;
  now: number;
}

/** A thread root's reply summary as the server sends it with a reply (`Message.parent`). */
export interface ThreadSummary {
  id: string;
  replyCount: number;
  lastReplyAt: string | null;
}

/** A reply as the server sends it live or answers a reply: with its root's summary. */
export type Reply = Message & { parent?: ThreadSummary | null };

/**
 * The server's reply summary onto the thread root in the room's list. Replies stay as tombstones when deleted,
 * so a root's count only grows: a summary older than what the list holds changes nothing.
 */
function applyThreadSummary(data: ChatData, roomId: string, summary: ThreadSummary | null | undefined): ChatData {
  const list = data.messages[roomId];
  const root = summary && list?.byId[summary.id];
  if (!summary || !list || !root || root.replyCount >= summary.replyCount) return data;
  const updated = { ...root, replyCount: summary.replyCount, lastReplyAt: summary.lastReplyAt };
  return { ...data, messages: { ...data.messages, [roomId]: { ...list, byId: { ...list.byId, [root.id]: updated } } } };
}

/** The message without the root summary it came with (the root's copy in the list is the one to update). */
function withoutParent(reply: Reply): Message {
  if (!('parent' in reply)) return reply;
  const { parent: _parent, ...message } = reply;
  return message;
}

/** A message into its room's or thread's list, and the room's last message when it is the newest. */
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
  // The room copy's counts include every event up to its lastSeq (a room list fetched after the event was
  // sent already counts it): only newer events change them.
  const countedUpTo = data.rooms[event.roomId]?.lastSeq ?? 0;
  let next = data;
  if (seq !== null) {
    next = { ...next, eventSeq: { ...next.eventSeq, [event.roomId]: seq } };
    next = patchRoom(next, event.roomId, (r) => (r.lastSeq >= seq ? r : { ...r, lastSeq: seq }));
  }
  const version = seq ?? 0;
  switch (event.__typename) {
    case 'MessageAdded': {
      const m = withoutParent(event.message);
      next = touchRoom(placeMessage(next, m, { kind: 'event', seq: version }), m);
      next = applyThreadSummary(next, m.roomId, event.message.parent);
      const fromOther = m.sender?.id !== ctx.meId;
      if (fromOther && m.sender) {
        const typing = next.typing[m.roomId];
        if (typing?.[m.sender.id]) {
          const rest = { ...typing };
          delete rest[m.sender.id];
          next = { ...next, typing: { ...next.typing, [m.roomId]: rest } };
        }
      }
      if (fromOther && ctx.activeRoomId !== m.roomId && version > countedUpTo) {
        const mentionsMe = m.mentions.some((u) => u.id === ctx.meId);
        next = patchRoom(next, m.roomId, (r) => ({
          ...r,
          unreadCount: r.unreadCount + (m.parentId ? 0 : 1),
          unreadMentionCount: r.unreadMentionCount + (mentionsMe ? 1 : 0),
        }));
      }
      return next;
    }
    case 'MessageDeleted': {
      const m = event.message;
      const before = (m.parentId ? next.threads[m.parentId] : next.messages[m.roomId])?.byId[m.id];
      next = placeMessage(next, m, { kind: 'event', seq: version });
      // The server counts only messages that are not deleted: one I had not read leaves my counts.
      const room = next.rooms[m.roomId];
      const counted =
        room && version > countedUpTo && m.sender?.id !== ctx.meId && m.seq > myLastReadSeq(room, ctx.meId);
      if (counted) {
        const mentionedMe = before?.mentions.some((u) => u.id === ctx.meId) ?? false;
        next = patchRoom(next, m.roomId, (r) => ({
          ...r,
          unreadCount: Math.max(0, r.unreadCount - (m.parentId ? 0 : 1)),
          unreadMentionCount: Math.max(0, r.unreadMentionCount - (mentionedMe ? 1 : 0)),
        }));
      }
      return next;
    }
    case 'MessageEdited':
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

/** Applies one item of the viewer's stream to the data (notifications and mention alerts change nothing here). */
export function applyViewerEvent(data: ChatData, event: ViewerEvent, ctx: EventContext): ChatData {
  switch (event.__typename) {
    case 'RoomAdded':
      return addRoom(data, event.room);
    case 'RoomRemoved':
      return dropRoom(data, event.roomId);
    case 'UserUpdated':
      return applyProfile(data, event.user);
    case 'NotificationAdded':
    case 'MentionAlert':
      return data;
    default:
      return applyRoomEvent(data, event, ctx);
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

/** The first message after my read marker written by someone else: where the "New messages" divider goes. */
export function firstUnreadId(messages: readonly Message[], readMarker: number, meId: string): string | null {
  return messages.find((m) => !m.local && m.seq > readMarker && m.sender?.id !== meId)?.id ?? null;
}

/** My newest message that can still be edited (sent, not deleted): what ArrowUp in an empty composer edits. */
export function myLastEditable(messages: readonly Message[], meId: string): Message | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.sender?.id === meId && !m.local && !m.deletedAt) return m;
  }
  return null;
}

/**
 * My own presence as shown to me: my socket being connected is what makes me online (a room list fetched
 * before it connected says OFFLINE, and the OFFLINE of the socket a reload closed can arrive after the new
 * one's ONLINE); a manual AWAY stays AWAY.
 */
export function ownPresence(connected: boolean, reported: PresenceStatus | undefined): PresenceStatus {
  if (!connected) return 'OFFLINE';
  return reported === 'AWAY' ? 'AWAY' : 'ONLINE';
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
