import { describe, expect, it } from 'vitest';
import type { MessageFieldsFragment } from '../gql/graphql';
import {
  addLocal,
  applyRoomEvent,
  applySent,
  applyViewerEvent,
  dropRoom,
  positions,
  withProfile,
  emptyChat,
  emptyList,
  firstUnreadId,
  isDuplicate,
  myLastEditable,
  ownPresence,
  optimisticMessage,
  roomsByActivity,
  seenBy,
  setLocalStatus,
  setRooms,
  typingNames,
  upsertMessages,
  type ChatData,
  type Room,
  type RoomEvent,
  type ThreadSummary,
  type ViewerEvent,
} from './merge';

const ME = 'me';
const ROOM = 'room-1';
const user = (id: string) => ({ id, nickname: id, isBot: false, avatarUrl: null, presence: { status: 'ONLINE' as const, lastSeenAt: null } });

function msg(id: string, seq: number, extra: Partial<MessageFieldsFragment> = {}): MessageFieldsFragment {
  return {
    id,
    roomId: ROOM,
    seq,
    parentId: null,
    content: `message ${id}`,
    clientId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    replyCount: 0,
    lastReplyAt: null,
    displayName: null,
    displayAvatarUrl: null,
    sender: user('bob'),
    linkPreview: null,
    attachments: [],
    reactions: [],
    mentions: [],
    seenBy: [],
    ...extra,
  };
}

function room(extra: Partial<Room> = {}): Room {
  return {
    id: ROOM,
    name: 'general',
    isGroup: true,
    unreadCount: 0,
    unreadMentionCount: 0,
    muted: false,
    lastSeq: 0,
    createdAt: '2026-01-01T00:00:00Z',
    lastActivityAt: '2026-01-01T00:00:00Z',
    members: [
      { role: 'OWNER', joinedAt: '2026-01-01T00:00:00Z', seenAt: null, lastReadSeq: null, user: user(ME) },
      { role: 'MEMBER', joinedAt: '2026-01-01T00:00:00Z', seenAt: null, lastReadSeq: null, user: user('bob') },
      { role: 'MEMBER', joinedAt: '2026-01-01T00:00:00Z', seenAt: null, lastReadSeq: null, user: user('carol') },
    ],
    lastMessage: null,
    ...extra,
  };
}

const added = (m: MessageFieldsFragment & { parent?: ThreadSummary | null }, seq = m.seq): RoomEvent => ({
  __typename: 'MessageAdded',
  seq,
  roomId: m.roomId,
  at: m.createdAt,
  message: { parent: null, ...m },
});

const ctx = { meId: ME, activeRoomId: null, now: 1_000 };

function withRoom(r: Room = room()): ChatData {
  return setRooms(emptyChat(), [r]);
}

const ids = (data: ChatData) => data.messages[ROOM]?.ids ?? [];

describe('merging history with live events', () => {
  it('orders by seq whatever the arrival order, and drops duplicates', () => {
    let list = upsertMessages(emptyList(), [msg('c', 7), msg('a', 3)], { kind: 'history' });
    list = upsertMessages(list, [msg('b', 5), msg('a', 3)], { kind: 'history' });
    expect(list.ids).toEqual(['a', 'b', 'c']);
    expect(Object.keys(list.byId)).toHaveLength(3);
  });

  it('puts an older history page above live messages without doubling any', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('m4', 4)), ctx);
    data = applyRoomEvent(data, added(msg('m5', 5)), ctx);
    const list = upsertMessages(data.messages[ROOM], [msg('m1', 1), msg('m2', 2), msg('m4', 4)], { kind: 'history' });
    expect(list.ids).toEqual(['m1', 'm2', 'm4', 'm5']);
  });

  it('never lets an older snapshot overwrite a newer live edit', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('m1', 1)), ctx);
    const edited = msg('m1', 1, { content: 'edited', editedAt: '2026-01-01T00:01:00Z' });
    data = applyRoomEvent(data, { __typename: 'MessageEdited', seq: 2, roomId: ROOM, at: 'x', message: edited }, ctx);
    const list = upsertMessages(data.messages[ROOM], [msg('m1', 1)], { kind: 'history' });
    expect(list.byId.m1.content).toBe('edited');
  });

  it('shows a link preview announced as an edit, and its removal, without touching the text', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('m1', 1, { content: 'see https://example.com' })), ctx);
    const preview = { url: 'https://example.com/', title: 'Example', description: null, imageUrl: null, siteName: null };
    const withPreview = msg('m1', 1, { content: 'see https://example.com', linkPreview: preview });
    data = applyRoomEvent(data, { __typename: 'MessageEdited', seq: 2, roomId: ROOM, at: 'x', message: withPreview }, ctx);
    expect(data.messages[ROOM].byId.m1.linkPreview).toEqual(preview);
    expect(data.messages[ROOM].byId.m1.editedAt).toBeNull();
    // An older snapshot (the send's answer, a history page fetched before) does not take it away again.
    const list = upsertMessages(data.messages[ROOM], [msg('m1', 1, { content: 'see https://example.com' })], { kind: 'history' });
    expect(list.byId.m1.linkPreview).toEqual(preview);
    const removed = msg('m1', 1, { content: 'see https://example.com', linkPreview: null });
    data = applyRoomEvent(data, { __typename: 'MessageEdited', seq: 3, roomId: ROOM, at: 'y', message: removed }, ctx);
    expect(data.messages[ROOM].byId.m1.linkPreview).toBeNull();
  });

  it("never lets a mutation's answer overwrite an event applied after the mutation was sent", () => {
    let data = withRoom();
    const sentWith = { ...data.eventSeq };
    const preview = { url: 'https://example.com/', title: 'Example', description: null, imageUrl: null, siteName: null };
    // The send's own event and its link preview both arrive before the HTTP answer.
    data = applyRoomEvent(data, added(msg('m1', 1, { content: 'see https://example.com' })), ctx);
    const withPreview = msg('m1', 1, { content: 'see https://example.com', linkPreview: preview });
    data = applyRoomEvent(data, { __typename: 'MessageEdited', seq: 2, roomId: ROOM, at: 'x', message: withPreview }, ctx);
    data = applySent(data, { ...msg('m1', 1, { content: 'see https://example.com' }), parent: null }, sentWith);
    expect(data.messages[ROOM].byId.m1.linkPreview).toEqual(preview);

    // An answer to a mutation sent after the last event still applies (an edit seen before its event).
    const editedWith = { ...data.eventSeq };
    const list = upsertMessages(data.messages[ROOM], [msg('m1', 1, { content: 'changed', linkPreview: preview })], {
      kind: 'mutation',
      eventsBefore: editedWith,
    });
    expect(list.byId.m1.content).toBe('changed');
  });

  it('resumes: a replay of events already applied changes nothing', () => {
    let data = withRoom(room({ lastSeq: 2 }));
    expect(data.eventSeq[ROOM]).toBe(2);
    const replayed = added(msg('old', 2));
    expect(isDuplicate(data, replayed)).toBe(true);
    expect(applyRoomEvent(data, replayed, ctx)).toBe(data);

    data = applyRoomEvent(data, added(msg('m3', 3)), ctx);
    data = applyRoomEvent(data, added(msg('m4', 4)), ctx);
    expect(data.eventSeq[ROOM]).toBe(4);
    // After a reconnect the server replays from afterSeq = 4; a replay of 3..4 is ignored, 5 is new.
    const again = applyRoomEvent(applyRoomEvent(data, added(msg('m3', 3)), ctx), added(msg('m4', 4)), ctx);
    expect(again).toBe(data);
    data = applyRoomEvent(data, added(msg('m5', 5)), ctx);
    expect(ids(data)).toEqual(['m3', 'm4', 'm5']);
    expect(data.rooms[ROOM].unreadCount).toBe(3);
  });

  it('keeps resume points when the room list is refreshed', () => {
    let data = withRoom(room({ lastSeq: 2 }));
    data = applyRoomEvent(data, added(msg('m3', 3)), ctx);
    data = setRooms(data, [room({ lastSeq: 2 })]);
    expect(data.eventSeq[ROOM]).toBe(3);
  });

  it('counts unread and mentions only for others, in rooms not on screen', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('a', 1, { mentions: [{ id: ME, nickname: ME }] })), ctx);
    data = applyRoomEvent(data, added(msg('b', 2, { sender: user(ME) })), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(1);
    expect(data.rooms[ROOM].unreadMentionCount).toBe(1);
    data = applyRoomEvent(data, added(msg('c', 3)), { ...ctx, activeRoomId: ROOM });
    expect(data.rooms[ROOM].unreadCount).toBe(1);
    expect(data.rooms[ROOM].lastMessage?.id).toBe('c');
  });

  it('takes a deleted message I had not read out of my counts, once', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('a', 1, { mentions: [{ id: ME, nickname: ME }] })), ctx);
    data = applyRoomEvent(data, added(msg('b', 2)), ctx);
    data = applyRoomEvent(data, added(msg('c', 3, { sender: user(ME) })), ctx);
    expect(data.rooms[ROOM]).toMatchObject({ unreadCount: 2, unreadMentionCount: 1 });
    const tombstone = (m: MessageFieldsFragment) => ({ ...m, content: null, mentions: [], deletedAt: '2026-01-01T01:00:00Z' });
    const deleted = (m: MessageFieldsFragment, seq: number): RoomEvent => ({
      __typename: 'MessageDeleted', seq, roomId: ROOM, at: '2026-01-01T01:00:00Z', message: tombstone(m),
    });
    data = applyRoomEvent(data, deleted(msg('a', 1, { mentions: [{ id: ME, nickname: ME }] }), 4), ctx);
    expect(data.rooms[ROOM]).toMatchObject({ unreadCount: 1, unreadMentionCount: 0 });
    // Replayed after a reconnect: already applied.
    data = applyRoomEvent(data, deleted(msg('a', 1), 4), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(1);
    // My own message was never counted.
    data = applyRoomEvent(data, deleted(msg('c', 3, { sender: user(ME) }), 5), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(1);
  });

  it('files thread replies under their root and takes its reply count from the server', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('root', 1)), ctx);
    const reply = msg('r1', 2, { parentId: 'root', createdAt: '2026-01-01T00:05:00Z' });
    const summary = { id: 'root', replyCount: 1, lastReplyAt: reply.createdAt };
    data = applyRoomEvent(data, added({ ...reply, parent: summary }), ctx);
    expect(ids(data)).toEqual(['root']);
    expect(data.threads.root.ids).toEqual(['r1']);
    expect(data.threads.root.byId.r1).not.toHaveProperty('parent');
    expect(data.messages[ROOM].byId.root.replyCount).toBe(1);
    expect(data.messages[ROOM].byId.root.lastReplyAt).toBe(reply.createdAt);
    // A reply the server announces without a summary (another client's document) changes no count.
    data = applyRoomEvent(data, added(msg('r2', 3, { parentId: 'root' })), ctx);
    expect(data.messages[ROOM].byId.root.replyCount).toBe(1);
    // An older summary (events and answers cross) never lowers what a newer one set.
    data = applySent(data, { ...msg('r4', 5, { parentId: 'root' }), parent: { ...summary, replyCount: 3 } }, {});
    expect(data.messages[ROOM].byId.root.replyCount).toBe(3);
    data = applyRoomEvent(data, added({ ...msg('r3', 4, { parentId: 'root' }), parent: { ...summary, replyCount: 2 } }), ctx);
    expect(data.messages[ROOM].byId.root.replyCount).toBe(3);
  });

  it('applies read receipts, typing, joins and leaves', () => {
    let data = withRoom();
    data = applyRoomEvent(data, added(msg('mine', 1, { sender: user(ME) })), ctx);
    data = applyRoomEvent(
      data,
      { __typename: 'ReadReceipt', seq: 2, roomId: ROOM, at: 'x', lastReadSeq: 1, seenAt: 'x', user: { id: 'bob', nickname: 'bob' } },
      ctx,
    );
    expect(seenBy(data.rooms[ROOM], data.messages[ROOM].byId.mine, ME)).toEqual(['bob']);

    data = applyRoomEvent(data, { __typename: 'TypingStarted', seq: null, roomId: ROOM, at: 'x', user: { id: 'carol', nickname: 'carol' } }, ctx);
    expect(typingNames(data, ROOM, 2_000)).toEqual(['carol']);
    expect(typingNames(data, ROOM, 60_000)).toEqual([]);
    data = applyRoomEvent(data, added(msg('c1', 3, { sender: user('carol') })), ctx);
    expect(typingNames(data, ROOM, 2_000)).toEqual([]);

    data = applyRoomEvent(data, { __typename: 'MemberJoined', seq: 4, roomId: ROOM, at: 'x', user: user('dave') }, ctx);
    expect(data.rooms[ROOM].members.map((m) => m.user.id)).toContain('dave');
    data = applyRoomEvent(data, { __typename: 'MemberLeft', seq: 5, roomId: ROOM, at: 'x', user: user('dave') }, ctx);
    expect(data.rooms[ROOM].members.map((m) => m.user.id)).not.toContain('dave');
    data = applyRoomEvent(data, { __typename: 'MemberLeft', seq: 6, roomId: ROOM, at: 'x', user: user(ME) }, ctx);
    expect(data.rooms[ROOM]).toBeUndefined();
  });
});

describe('optimistic send', () => {
  const local = () =>
    optimisticMessage({ clientId: 'c-1', roomId: ROOM, content: 'hello', parentId: null, sender: user(ME), now: '2026-01-01T00:00:09Z' });

  it('shows the message at once, after the real ones', () => {
    let list = upsertMessages(emptyList(), [msg('a', 1)], { kind: 'history' });
    list = addLocal(list, local());
    list = upsertMessages(list, [msg('b', 2)], { kind: 'event', seq: 2 });
    expect(list.ids).toEqual(['a', 'b', 'local:c-1']);
    expect(list.byId['local:c-1'].local?.status).toBe('sending');
  });

  it('is replaced by the server copy, from the mutation or the live event, whichever comes first, once', () => {
    const server = msg('srv', 3, { clientId: 'c-1', sender: user(ME), content: 'hello' });
    let list = addLocal(emptyList(), local());
    list = upsertMessages(list, [server], { kind: 'event', seq: 3 });
    list = upsertMessages(list, [server], { kind: 'mutation', eventsBefore: {} });
    expect(list.ids).toEqual(['srv']);

    let other = addLocal(emptyList(), local());
    other = upsertMessages(other, [server], { kind: 'mutation', eventsBefore: {} });
    other = upsertMessages(other, [server], { kind: 'event', seq: 3 });
    expect(other.ids).toEqual(['srv']);
  });

  it('marks a failed send and lets it be retried with the same clientId', () => {
    let list = addLocal(emptyList(), local());
    list = setLocalStatus(list, 'c-1', 'failed', 'offline');
    expect(list.byId['local:c-1'].local).toMatchObject({ status: 'failed', error: 'offline' });
    list = setLocalStatus(list, 'c-1', 'sending');
    expect(list.byId['local:c-1'].local?.status).toBe('sending');
    list = upsertMessages(list, [msg('srv', 4, { clientId: 'c-1' })], { kind: 'mutation', eventsBefore: {} });
    expect(list.ids).toEqual(['srv']);
  });
});

describe('rooms', () => {
  it("sorts by the server's lastActivityAt, newest first, the id breaking ties", () => {
    // A room whose last top-level message is old but whose thread got a reply is ahead: the server counts
    // replies as activity, the last message does not show them.
    const a = room({ id: 'a', lastActivityAt: '2026-01-05T00:00:00Z', lastMessage: msg('x', 1, { createdAt: '2026-01-01T00:00:00Z' }) });
    const b = room({ id: 'b', lastActivityAt: '2026-01-02T00:00:00Z', lastMessage: msg('y', 1, { createdAt: '2026-01-02T00:00:00Z' }) });
    const c = room({ id: 'c', lastActivityAt: '2026-01-04T00:00:00Z' });
    const d = room({ id: 'd', lastActivityAt: '2026-01-02T00:00:00Z' });
    // Offsets are compared as instants, not as strings.
    const e = room({ id: 'e', lastActivityAt: '2026-01-04T01:00:00+02:00' });
    expect(roomsByActivity({ a, b, c, d, e }).map((r) => r.id)).toEqual(['a', 'c', 'e', 'd', 'b']);
  });

  it('moves a room to the front with a live message or reply, at the time the server gave it', () => {
    let data = withRoom(room({ lastSeq: 1 }));
    data = { ...data, rooms: { ...data.rooms, other: room({ id: 'other', lastActivityAt: '2026-01-01T00:10:00Z' }) } };
    expect(roomsByActivity(data.rooms)[0].id).toBe('other');
    const reply = msg('r1', 2, { parentId: 'x', createdAt: '2026-01-01T00:20:00Z' });
    data = applyRoomEvent(data, added(reply), ctx);
    expect(data.rooms[ROOM].lastActivityAt).toBe('2026-01-01T00:20:00Z');
    expect(roomsByActivity(data.rooms)[0].id).toBe(ROOM);
    // An edit is not activity.
    const edited = { ...reply, content: 'edited', editedAt: '2026-01-01T00:30:00Z' };
    data = applyRoomEvent(data, { __typename: 'MessageEdited', seq: 3, roomId: ROOM, at: '2026-01-01T00:30:00Z', message: edited }, ctx);
    expect(data.rooms[ROOM].lastActivityAt).toBe('2026-01-01T00:20:00Z');
    // My own send, from the mutation's answer.
    const mine = msg('m3', 4, { sender: user(ME), createdAt: '2026-01-01T00:40:00Z' });
    data = applySent(data, mine, {});
    expect(data.rooms[ROOM].lastActivityAt).toBe('2026-01-01T00:40:00Z');
    expect(data.rooms[ROOM].lastMessage?.id).toBe('m3');
    expect(data.messages[ROOM].ids).toContain('m3');
  });
});

describe('issue 12 fixes', () => {
  it('does not count a message twice when a newer room list already counted it (201 for 200)', () => {
    // Local resume point at seq 2; the room list fetched later counts 3 unread up to seq 5.
    let data = withRoom(room({ lastSeq: 2 }));
    data = setRooms(data, [room({ lastSeq: 5, unreadCount: 3 })]);
    expect(data.eventSeq[ROOM]).toBe(2);
    // The events 3..5 arrive after the snapshot: already counted.
    for (const seq of [3, 4, 5]) data = applyRoomEvent(data, added(msg(`m${seq}`, seq)), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(3);
    // A new one is counted.
    data = applyRoomEvent(data, added(msg('m6', 6)), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(4);
  });

  it('keeps counts that live events took past an older room list', () => {
    let data = withRoom(room({ lastSeq: 2 }));
    for (const seq of [3, 4]) data = applyRoomEvent(data, added(msg(`m${seq}`, seq)), ctx);
    expect(data.rooms[ROOM].unreadCount).toBe(2);
    // A list fetched before those events lands late: it must not drop them.
    data = setRooms(data, [room({ lastSeq: 2, unreadCount: 0 })]);
    expect(data.rooms[ROOM].unreadCount).toBe(2);
    expect(data.rooms[ROOM].lastSeq).toBe(4);
  });

  it('takes fresh signed URLs from a history page without losing a newer live edit', () => {
    const old = msg('m1', 1, {
      content: 'edited live',
      attachments: [{ id: 'a1', url: '/files/k?exp=1', contentType: 'image/png', size: 1, width: 1, height: 1, fileName: null, thumbnailUrl: null, blurhash: null }],
      sender: { ...user('bob'), avatarUrl: '/files/av?exp=1' },
    });
    let list = upsertMessages(emptyList(), [old], { kind: 'event', seq: 5 });
    const page = msg('m1', 1, {
      content: 'stale copy',
      attachments: [{ id: 'a1', url: '/files/k?exp=2', contentType: 'image/png', size: 1, width: 1, height: 1, fileName: null, thumbnailUrl: null, blurhash: null }],
      sender: { ...user('bob'), avatarUrl: '/files/av?exp=2' },
    });
    list = upsertMessages(list, [page], { kind: 'history' });
    expect(list.byId.m1.content).toBe('edited live');
    expect(list.byId.m1.attachments[0].url).toBe('/files/k?exp=2');
    expect(list.byId.m1.sender?.avatarUrl).toBe('/files/av?exp=2');
    // The same URLs again: the same object (no re-render).
    expect(upsertMessages(list, [page], { kind: 'history' })).toBe(list);
  });

  it('finds the first unread message from someone else, and my last editable message', () => {
    const messages = [msg('a', 1), msg('b', 2, { sender: user(ME) }), msg('c', 3), msg('d', 4, { sender: user(ME), deletedAt: 'x' })];
    expect(firstUnreadId(messages, 1, ME)).toBe('c');
    expect(firstUnreadId(messages, 4, ME)).toBeNull();
    expect(myLastEditable(messages, ME)?.id).toBe('b');
    expect(myLastEditable([msg('a', 1)], ME)).toBeNull();
  });

  it('shows me online while my socket is connected, whatever an older snapshot said', () => {
    expect(ownPresence(true, 'OFFLINE')).toBe('ONLINE');
    expect(ownPresence(true, undefined)).toBe('ONLINE');
    expect(ownPresence(true, 'AWAY')).toBe('AWAY');
    expect(ownPresence(false, 'ONLINE')).toBe('OFFLINE');
  });
});

describe('the viewer stream: positions and the events that are not of one room', () => {
  const other = (id: string, extra: Partial<Room> = {}) => room({ id, name: id, members: [], ...extra });

  it('lists the last seq held per room in the list as the positions to resume from', () => {
    let data = setRooms(emptyChat(), [room({ lastSeq: 2 }), other('room-2', { lastSeq: 7 })]);
    expect(positions(data)).toEqual([
      { roomId: ROOM, afterSeq: 2 },
      { roomId: 'room-2', afterSeq: 7 },
    ]);
    data = applyRoomEvent(data, added(msg('m3', 3)), ctx);
    // Typing has no seq: it moves nothing.
    data = applyRoomEvent(data, { __typename: 'TypingStarted', seq: null, roomId: 'room-2', at: 'x', user: { id: 'bob', nickname: 'bob' } }, ctx);
    expect(positions(data)).toEqual([
      { roomId: ROOM, afterSeq: 3 },
      { roomId: 'room-2', afterSeq: 7 },
    ]);
    // A room I left is not listed (its resume point alone does not list it).
    data = dropRoom(data, 'room-2');
    expect(positions(data)).toEqual([{ roomId: ROOM, afterSeq: 3 }]);
  });

  it('RoomAdded shows the room at once, resumes after what its copy counted, survives an older list', () => {
    let data = withRoom(room({ lastSeq: 1 }));
    const side = other('side', { lastSeq: 5, unreadCount: 1 });
    data = applyViewerEvent(data, { __typename: 'RoomAdded', roomId: 'side', at: 'x', room: side }, ctx);
    expect(data.rooms.side.name).toBe('side');
    expect(data.eventSeq.side).toBe(5);
    // The copy already counts everything up to its lastSeq: those events (my MemberJoined) change nothing.
    const joined: ViewerEvent = { __typename: 'MemberJoined', seq: 5, roomId: 'side', at: 'x', user: user(ME) };
    expect(applyViewerEvent(data, joined, ctx)).toBe(data);
    data = applyViewerEvent(data, added(msg('s6', 6, { roomId: 'side' })), ctx);
    expect(data.rooms.side.unreadCount).toBe(2);
    // A room list fetched before the join lands afterwards: the room stays.
    data = setRooms(data, [room({ lastSeq: 1 })]);
    expect(Object.keys(data.rooms).sort()).toEqual([ROOM, 'side']);
    expect(data.rooms.side.unreadCount).toBe(2);
  });

  it('a room joined again resumes from its new copy, not from where I left it', () => {
    let data = withRoom(room({ lastSeq: 3 }));
    data = applyRoomEvent(data, { __typename: 'MemberLeft', seq: 4, roomId: ROOM, at: 'x', user: user(ME) }, ctx);
    expect(data.rooms[ROOM]).toBeUndefined();
    data = applyViewerEvent(data, { __typename: 'RoomRemoved', roomId: ROOM, at: 'x' }, ctx);
    expect(data.rooms[ROOM]).toBeUndefined();
    data = applyViewerEvent(data, { __typename: 'RoomAdded', roomId: ROOM, at: 'x', room: room({ lastSeq: 20 }) }, ctx);
    expect(positions(data)).toEqual([{ roomId: ROOM, afterSeq: 20 }]);
  });

  it('RoomRemoved takes the room out of the list, also one the live stream had added', () => {
    let data = applyViewerEvent(withRoom(), { __typename: 'RoomAdded', roomId: 'side', at: 'x', room: other('side') }, ctx);
    data = applyViewerEvent(data, { __typename: 'RoomRemoved', roomId: 'side', at: 'x' }, ctx);
    data = applyViewerEvent(data, { __typename: 'RoomRemoved', roomId: ROOM, at: 'x' }, ctx);
    expect(data.rooms).toEqual({});
    // An older list does not bring back a room the stream removed... unless the list has it (it is fetched anew).
    expect(Object.keys(setRooms(data, []).rooms)).toEqual([]);
  });

  it('UserUpdated: the new nickname and avatar everywhere, my own older messages included', () => {
    let data = withRoom();
    const mine = msg('mine', 1, { sender: user(ME), reactions: [{ emoji: '👍', count: 1, reactedByMe: true, users: [{ id: ME, nickname: ME }] }] });
    data = applyRoomEvent(data, added(mine), ctx);
    data = applyRoomEvent(data, added(msg('bobs', 2, { mentions: [{ id: ME, nickname: ME }], seenBy: [{ id: ME, nickname: ME }] })), ctx);
    data = applyRoomEvent(data, added(msg('reply', 3, { parentId: 'bobs', sender: user(ME) })), ctx);
    const before = data;
    const update: ViewerEvent = {
      __typename: 'UserUpdated',
      at: 'x',
      user: { id: ME, nickname: 'renamed', isBot: false, avatarUrl: '/files/av?exp=9', presence: { status: 'ONLINE', lastSeenAt: null } },
    };
    data = applyViewerEvent(data, update, ctx);
    const list = data.messages[ROOM];
    expect(list.byId.mine.sender).toMatchObject({ nickname: 'renamed', avatarUrl: '/files/av?exp=9' });
    expect(list.byId.mine.reactions[0].users).toEqual([{ id: ME, nickname: 'renamed' }]);
    expect(list.byId.bobs.mentions).toEqual([{ id: ME, nickname: 'renamed' }]);
    expect(list.byId.bobs.seenBy).toEqual([{ id: ME, nickname: 'renamed' }]);
    expect(data.threads.bobs.byId.reply.sender?.nickname).toBe('renamed');
    expect(data.rooms[ROOM].members.find((m) => m.user.id === ME)?.user.nickname).toBe('renamed');
    expect(data.rooms[ROOM].lastMessage?.mentions).toEqual([{ id: ME, nickname: 'renamed' }]);
    // Someone else's copies are untouched, and kept as they were (same objects).
    expect(list.byId.bobs.sender).toBe(before.messages[ROOM].byId.bobs.sender);
    expect(data.rooms[ROOM].members[1]).toBe(before.rooms[ROOM].members[1]);
    // Applied again: nothing changes at all.
    expect(withProfile(data.messages, update.user)).toBe(data.messages);
    // Nothing else about the room moves (no seq, no unread).
    expect(data.eventSeq).toBe(before.eventSeq);
    expect(data.rooms[ROOM].unreadCount).toBe(before.rooms[ROOM].unreadCount);
  });

  it('UserUpdated renames someone who is typing', () => {
    let data = withRoom();
    data = applyRoomEvent(data, { __typename: 'TypingStarted', seq: null, roomId: ROOM, at: 'x', user: { id: 'bob', nickname: 'bob' } }, ctx);
    data = applyViewerEvent(
      data,
      { __typename: 'UserUpdated', at: 'x', user: { ...user('bob'), nickname: 'robert' } },
      ctx,
    );
    expect(typingNames(data, ROOM, ctx.now)).toEqual(['robert']);
  });

  it('notifications and mention alerts leave the data alone (they are toasts)', () => {
    const data = withRoom();
    const alert: ViewerEvent = { __typename: 'MentionAlert', by: { id: 'bob', nickname: 'bob' }, room: { id: ROOM, name: 'general', isGroup: true }, message: msg('m1', 1) };
    expect(applyViewerEvent(data, alert, ctx)).toBe(data);
  });
});
