import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SocketEvents } from './ws';
import { useChat } from '../store/chat';

interface Sub {
  payload: { query: string; variables?: Record<string, unknown> };
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

const roomSubs = () => subs.filter((s) => s.payload.query.includes('subscription RoomEvents') && !s.disposed);

function message(seq: number) {
  return {
    id: `m${seq}`,
    roomId: 'r1',
    seq,
    parentId: null,
    content: `hello ${seq}`,
    clientId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    replyCount: 0,
    lastReplyAt: null,
    sender: { id: 'bob', nickname: 'bob', avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } },
    attachments: [],
    reactions: [],
    mentions: [],
    seenBy: [],
  };
}

afterEach(() => {
  subs.length = 0;
});

describe('Realtime', () => {
  it('subscribes each room from its last seq and resumes from the last seq held after a reconnect', () => {
    useChat.getState().reset('me');
    useChat.getState().setRooms([
      {
        id: 'r1',
        name: 'general',
        isGroup: true,
        unreadCount: 0,
        unreadMentionCount: 0,
        muted: false,
        lastSeq: 4,
        createdAt: '2026-01-01T00:00:00Z',
        members: [],
        lastMessage: null,
      },
    ]);
    const rt = new Realtime({ onResync: vi.fn(), onInvite: vi.fn() });
    rt.syncRooms(['r1']);
    expect(roomSubs()).toHaveLength(0); // not before the socket is up
    events.connected(false);
    expect(useChat.getState().connection).toBe('connected');
    expect(roomSubs().map((s) => s.payload.variables)).toEqual([{ roomId: 'r1', afterSeq: 4 }]);

    const live = roomSubs()[0];
    for (const seq of [5, 6]) {
      live.sink.next({ data: { roomEvents: { __typename: 'MessageAdded', seq, roomId: 'r1', at: 'x', message: message(seq) } } });
    }
    expect(useChat.getState().messages.r1.ids).toEqual(['m5', 'm6']);

    events.closed(1006);
    expect(useChat.getState().connection).toBe('reconnecting');
    expect(roomSubs()).toHaveLength(0);

    const resync = vi.fn();
    (rt as unknown as { handlers: { onResync(): void } }).handlers.onResync = resync;
    events.connected(true);
    expect(roomSubs().map((s) => s.payload.variables)).toEqual([{ roomId: 'r1', afterSeq: 6 }]);
    expect(resync).toHaveBeenCalled();

    // The replay may overlap what we hold: nothing is doubled.
    const resumed = roomSubs()[0];
    for (const seq of [6, 7]) {
      resumed.sink.next({ data: { roomEvents: { __typename: 'MessageAdded', seq, roomId: 'r1', at: 'x', message: message(seq) } } });
    }
    expect(useChat.getState().messages.r1.ids).toEqual(['m5', 'm6', 'm7']);
    rt.stop();
  });
});
