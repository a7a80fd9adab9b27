// Writes go through actions.ts: the store changes optimistically or from the server's answer, and the counts
// and order the server computes are taken from it, not worked out here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MarkReadDocument,
  SendMessageDocument,
  ReplyInThreadDocument,
  SetNotificationSettingsDocument,
  UpdateProfileDocument,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import type { Message, Room } from '../store/merge';

type Call = { doc: unknown; vars: Record<string, unknown> | undefined };
const calls: Call[] = [];
let answer: (call: Call) => Promise<unknown> = async () => ({});

vi.mock('./execute', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./execute')>();
  return {
    ...actual,
    execute: (doc: unknown, vars?: Record<string, unknown>) => {
      const call = { doc, vars };
      calls.push(call);
      return answer(call);
    },
  };
});
vi.mock('./session', () => ({
  getSession: () => ({ user: { id: 'me', nickname: 'me' }, accessToken: 'a', refreshToken: 'r', expiresAt: 0 }),
  setSession: vi.fn(),
  updateSessionUser: vi.fn(),
}));

const { markRead, sendMessage, setNickname, setRoomMuted } = await import('./actions');

const user = (id: string) => ({ id, nickname: id, isBot: false, avatarUrl: null, presence: { status: 'ONLINE' as const, lastSeenAt: null } });

function msg(id: string, seq: number, extra: Partial<Message> = {}): Message {
  return {
    id,
    roomId: 'r1',
    seq,
    parentId: null,
    content: id,
    clientId: null,
    createdAt: `2026-01-01T00:00:${String(seq).padStart(2, '0')}Z`,
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
    id: 'r1',
    name: 'general',
    isGroup: true,
    unreadCount: 5,
    unreadMentionCount: 2,
    muted: false,
    lastSeq: 10,
    createdAt: '2026-01-01T00:00:00Z',
    lastActivityAt: '2026-01-01T00:00:10Z',
    members: [
      { role: 'OWNER', joinedAt: '2026-01-01T00:00:00Z', seenAt: null, lastReadSeq: 5, user: user('me') },
      { role: 'MEMBER', joinedAt: '2026-01-01T00:00:00Z', seenAt: null, lastReadSeq: null, user: user('bob') },
    ],
    lastMessage: msg('m10', 10),
    ...extra,
  };
}

const held = () => useChat.getState().rooms.r1;
const myMarker = () => held().members.find((m) => m.user.id === 'me')?.lastReadSeq;

beforeEach(() => {
  calls.length = 0;
  useChat.getState().reset('me');
  useChat.getState().setRooms([room()]);
});

describe('markRead', () => {
  it('moves my marker at once and takes the unread counts from the answer', async () => {
    let release: (v: unknown) => void = () => {};
    answer = () => new Promise((resolve) => (release = resolve));
    const done = markRead('r1', msg('m7', 7));
    expect(myMarker()).toBe(7);
    expect(held().unreadCount).toBe(5); // not guessed
    release({
      markRead: {
        id: 'r1',
        lastSeq: 10,
        unreadCount: 3,
        unreadMentionCount: 1,
        members: [{ lastReadSeq: 7, seenAt: '2026-01-01T00:01:00Z', user: { id: 'me' } }],
      },
    });
    await done;
    expect(calls[0].doc).toBe(MarkReadDocument);
    expect(held()).toMatchObject({ unreadCount: 3, unreadMentionCount: 1 });
    expect(held().members.find((m) => m.user.id === 'me')).toMatchObject({ lastReadSeq: 7, seenAt: '2026-01-01T00:01:00Z' });
  });

  it('keeps the counts when live events took the room past the answer', async () => {
    useChat.getState().patchRoom('r1', { lastSeq: 12, unreadCount: 6 });
    answer = async () => ({
      markRead: { id: 'r1', lastSeq: 10, unreadCount: 0, unreadMentionCount: 0, members: [{ lastReadSeq: 8, seenAt: null, user: { id: 'me' } }] },
    });
    await markRead('r1', msg('m8', 8));
    expect(held().unreadCount).toBe(6);
    expect(myMarker()).toBe(8);
  });
});

describe('setRoomMuted', () => {
  it('shows the new setting at once and puts it back when the server refuses', async () => {
    let fail: (e: unknown) => void = () => {};
    answer = () => new Promise((_, reject) => (fail = reject));
    const done = setRoomMuted('r1', true);
    expect(held().muted).toBe(true);
    expect(calls[0]).toMatchObject({ doc: SetNotificationSettingsDocument, vars: { input: { roomId: 'r1', muted: true } } });
    fail(new Error('offline'));
    await expect(done).rejects.toThrow('offline');
    expect(held().muted).toBe(false);
  });
});

describe('sending', () => {
  it("puts the server's copy in and takes the room's activity time from it", async () => {
    answer = async ({ vars }) => ({
      sendMessage: msg('m11', 11, { sender: user('me'), clientId: (vars?.input as { clientId: string }).clientId, createdAt: '2026-01-01T00:05:00Z' }),
    });
    await sendMessage({ roomId: 'r1', content: 'hi' }, 'c-1');
    expect(calls[0].doc).toBe(SendMessageDocument);
    const list = useChat.getState().messages.r1;
    expect(list.ids).toEqual(['m11']);
    expect(held().lastMessage?.id).toBe('m11');
    expect(held().lastActivityAt).toBe('2026-01-01T00:05:00Z');
  });

  it("takes the parent's reply count from the reply's answer and its event, counting it once", async () => {
    useChat.getState().mergeHistory('r1', [msg('m9', 9)]);
    const reply = msg('t1', 11, { parentId: 'm9', sender: user('me'), clientId: 'c-2', createdAt: '2026-01-01T00:06:00Z' });
    const parent = { id: 'm9', replyCount: 1, lastReplyAt: reply.createdAt };
    answer = async () => ({ replyInThread: { ...reply, parent } });
    await sendMessage({ roomId: 'r1', content: 'reply', parentId: 'm9' }, 'c-2');
    expect(calls[0].doc).toBe(ReplyInThreadDocument);
    expect(useChat.getState().threads.m9.ids).toEqual(['t1']);
    expect(useChat.getState().messages.r1.byId.m9).toMatchObject({ replyCount: 1, lastReplyAt: reply.createdAt });
    expect(held().lastActivityAt).toBe('2026-01-01T00:06:00Z');
    const event = { __typename: 'MessageAdded' as const, seq: 11, roomId: 'r1', at: reply.createdAt, message: { ...reply, parent } };
    useChat.getState().applyEvent(event);
    useChat.getState().applyEvent(event);
    expect(useChat.getState().messages.r1.byId.m9).toMatchObject({ replyCount: 1, lastReplyAt: reply.createdAt });
  });
});

describe('setNickname', () => {
  it('renames me everywhere I show from the answer', async () => {
    useChat.getState().setViewer({ email: 'me@example.com', notificationsEnabled: true, user: user('me') });
    answer = async () => ({ updateProfile: { ...user('me'), nickname: 'Maya' } });
    await setNickname('Maya');
    expect(calls[0]).toMatchObject({ doc: UpdateProfileDocument, vars: { input: { nickname: 'Maya' } } });
    expect(useChat.getState().viewer?.user.nickname).toBe('Maya');
    expect(held().members.find((m) => m.user.id === 'me')?.user.nickname).toBe('Maya');
  });
});
