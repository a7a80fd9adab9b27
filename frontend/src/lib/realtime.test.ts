import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SocketEvents } from './ws';
import { useChat } from '../store/chat';
import { EventsDocument } from '../gql/graphql';

interface Sub {
  payload: {
    query: string;
    variables?: Record<string, unknown> | null;
    extensions?: { persistedQuery?: { sha256Hash: string } };
  };
  sink: { next(v: unknown): void; error(e: unknown): void };
  disposed: boolean;
}

const subs: Sub[] = [];
let events: SocketEvents;

vi.mock('./ws', () => ({
  backoffMs: () => 10,
  createSocket: (e: SocketEvents) => {
    events = e;
    return {
      subscribe: (payload: Sub['payload'], sink: Sub['sink']) => {
        const sub: Sub = { payload, sink, disposed: false };
        subs.push(sub);
        return () => {
          sub.disposed = true;
        };
      },
      dispose: async () => {},
    };
  },
}));

const { Realtime } = await import('./realtime');
const { documentHash, resetPersisted } = await import('./execute');

/** The `events` subscriptions still open, sent as the hash alone or (after a miss) as text. */
const eventSubs = () =>
  subs.filter(
    (s) =>
      (s.payload.extensions?.persistedQuery?.sha256Hash === documentHash(EventsDocument) ||
        s.payload.query.includes('subscription Events')) &&
      !s.disposed,
  );
/** The variables as graphql-ws would send them now (it serializes the payload at each (re)subscribe). */
const sent = (sub: Sub) => JSON.parse(JSON.stringify(sub.payload)).variables;

function message(seq: number, roomId = 'r1') {
  return {
    id: `${roomId}-m${seq}`,
    roomId,
    seq,
    parentId: null,
    content: `hello ${seq}`,
    clientId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    replyCount: 0,
    lastReplyAt: null,
    sender: { id: 'bob', nickname: 'bob', isBot: false, avatarUrl: null, presence: { status: 'ONLINE' as const, lastSeenAt: null } },
    linkPreview: null,
    attachments: [],
    reactions: [],
    mentions: [],
    seenBy: [],
  };
}

function room(id: string, lastSeq: number, name = id) {
  return {
    id,
    name,
    isGroup: true,
    unreadCount: 0,
    unreadMentionCount: 0,
    muted: false,
    lastSeq,
    createdAt: '2026-01-01T00:00:00Z',
    lastActivityAt: '2026-01-01T00:00:00Z',
    members: [],
    lastMessage: null,
  };
}

const added = (seq: number, roomId = 'r1') => ({
  data: { events: { __typename: 'MessageAdded', seq, roomId, at: 'x', message: message(seq, roomId) } },
});

const handlers = () => ({ onResync: vi.fn(), onUnknownRoom: vi.fn(), onProfile: vi.fn() });

afterEach(() => {
  resetPersisted();
  subs.length = 0;
});

describe('Realtime', () => {
  it('one events subscription for all rooms, resumed from the last seq held per room after a reconnect', () => {
    useChat.getState().reset('me');
    useChat.getState().setRooms([room('r1', 4), room('r2', 9)]);
    const h = handlers();
    const rt = new Realtime(h);
    expect(eventSubs()).toHaveLength(0); // not before the room list is held
    rt.start();
    rt.start();
    expect(eventSubs()).toHaveLength(1);
    events.connected(false);
    expect(useChat.getState().connection).toBe('connected');
    const live = eventSubs()[0];
    expect(sent(live)).toEqual({
      positions: [
        { roomId: 'r1', afterSeq: 4 },
        { roomId: 'r2', afterSeq: 9 },
      ],
    });

    for (const seq of [5, 6]) live.sink.next(added(seq));
    live.sink.next(added(10, 'r2'));
    expect(useChat.getState().messages.r1.ids).toEqual(['r1-m5', 'r1-m6']);

    events.closed(1006);
    expect(useChat.getState().connection).toBe('reconnecting');
    events.connected(true);
    expect(h.onResync).toHaveBeenCalled();
    // graphql-ws resubscribes the same payload: it now carries the positions held.
    expect(eventSubs()).toEqual([live]);
    expect(sent(live)).toEqual({
      positions: [
        { roomId: 'r1', afterSeq: 6 },
        { roomId: 'r2', afterSeq: 10 },
      ],
    });

    // The replay may overlap what we hold: nothing is doubled.
    for (const seq of [6, 7]) live.sink.next(added(seq));
    live.sink.next(added(10, 'r2'));
    expect(useChat.getState().messages.r1.ids).toEqual(['r1-m5', 'r1-m6', 'r1-m7']);
    expect(useChat.getState().messages.r2.ids).toEqual(['r2-m10']);
    expect(h.onUnknownRoom).not.toHaveBeenCalled();
    rt.stop();
    expect(eventSubs()).toHaveLength(0);
  });

  it('rooms added and removed live, profile changes, unknown rooms, toasts from the same stream', () => {
    useChat.getState().reset('me');
    useChat.getState().setRooms([room('r1', 1)]);
    const h = handlers();
    const rt = new Realtime(h);
    rt.start();
    events.connected(false);
    const sub = eventSubs()[0];

    sub.sink.next({ data: { events: { __typename: 'RoomAdded', roomId: 'r2', at: 'x', room: room('r2', 3, 'side') } } });
    expect(useChat.getState().rooms.r2?.name).toBe('side');
    // Its own MemberJoined (already counted by the copy) changes nothing; later events apply.
    sub.sink.next(added(3, 'r2'));
    sub.sink.next(added(4, 'r2'));
    expect(useChat.getState().messages.r2.ids).toEqual(['r2-m4']);
    expect(sent(sub).positions).toContainEqual({ roomId: 'r2', afterSeq: 4 });

    sub.sink.next({
      data: { events: { __typename: 'UserUpdated', at: 'x', user: { id: 'bob', nickname: 'robert', isBot: false, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } } } },
    });
    expect(useChat.getState().messages.r2.byId['r2-m4'].sender?.nickname).toBe('robert');
    expect(h.onProfile).toHaveBeenCalledWith(expect.objectContaining({ id: 'bob', nickname: 'robert' }));

    sub.sink.next({ data: { events: { __typename: 'RoomRemoved', roomId: 'r2', at: 'x' } } });
    expect(useChat.getState().rooms.r2).toBeUndefined();
    expect(sent(sub).positions).toEqual([{ roomId: 'r1', afterSeq: 1 }]);

    // Events of a room not in the list (joined while away): the list is fetched, once.
    sub.sink.next(added(1, 'r9'));
    sub.sink.next(added(2, 'r9'));
    expect(h.onUnknownRoom).toHaveBeenCalledTimes(1);
    expect(h.onUnknownRoom).toHaveBeenCalledWith('r9');

    // A mention alert and its notification: one mention toast.
    const m = message(5, 'r1');
    sub.sink.next({ data: { events: { __typename: 'MentionAlert', by: { id: 'bob', nickname: 'robert' }, room: { id: 'r1', name: 'r1', isGroup: true }, message: m } } });
    sub.sink.next({
      data: {
        events: {
          __typename: 'NotificationAdded',
          notification: { id: 'n1', kind: 'MENTION', createdAt: 'x', read: false, room: { id: 'r1', name: 'r1', isGroup: true, muted: false }, message: m },
        },
      },
    });
    expect(useChat.getState().toasts.map((t) => [t.kind, t.title])).toEqual([['mention', 'robert mentioned you in #r1']]);
    rt.stop();
  });

  it('opens the stream again after the server ends it with an error', () => {
    vi.useFakeTimers();
    try {
      useChat.getState().reset('me');
      useChat.getState().setRooms([room('r1', 2)]);
      const h = handlers();
      const rt = new Realtime(h);
      rt.start();
      events.connected(false);
      const first = eventSubs()[0];
      first.sink.next(added(3));
      first.sink.error([{ message: 'boom' }]);
      first.disposed = true;
      vi.advanceTimersByTime(5_000);
      const again = eventSubs();
      expect(again).toHaveLength(1);
      expect(again[0]).not.toBe(first);
      expect(sent(again[0])).toEqual({ positions: [{ roomId: 'r1', afterSeq: 3 }] });
      // Rooms joined while it was down are not announced again: the list is fetched.
      expect(h.onResync).toHaveBeenCalledTimes(1);
      rt.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('subscribes with the hash alone, and again with the text when the server does not know it', () => {
    useChat.getState().reset('me');
    useChat.getState().setRooms([room('r1', 2)]);
    const rt = new Realtime(handlers());
    rt.start();
    events.connected(false);
    const first = eventSubs()[0];
    const wire = JSON.parse(JSON.stringify(first.payload));
    expect(wire.query).toBe('');
    expect(wire.extensions.persistedQuery).toEqual({ version: 1, sha256Hash: documentHash(EventsDocument) });
    first.sink.error([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    first.disposed = true;
    const again = eventSubs();
    expect(again).toHaveLength(1);
    const text = JSON.parse(JSON.stringify(again[0].payload));
    expect(text.query).toBe(EventsDocument.toString());
    expect(text.extensions).toBeUndefined();
    rt.stop();
  });
});
