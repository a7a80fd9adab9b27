// The fetchers hand their data to the store (its one owner); the query results keep only what paging needs.
import { renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MessagesDocument, RoomsDocument, ServerInfoDocument } from '../gql/graphql';
import { useChat } from '../store/chat';

const responses = new Map<unknown, (vars?: Record<string, unknown>) => unknown>();
vi.mock('./execute', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./execute')>();
  return { ...actual, execute: async (doc: unknown, vars?: Record<string, unknown>) => responses.get(doc)?.(vars) };
});
const { useHistory, useRoomsQuery, useServerInfo } = await import('./queries');

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

const user = { id: 'bob', nickname: 'bob', isBot: false, avatarUrl: null, presence: { status: 'ONLINE' as const, lastSeenAt: null } };
const message = (seq: number) => ({
  id: `m${seq}`,
  roomId: 'r1',
  seq,
  parentId: null,
  content: `hello ${seq}`,
  clientId: null,
  createdAt: '2026-01-01T00:00:00Z',
  editedAt: null,
  deletedAt: null,
  replyCount: 0,
  lastReplyAt: null,
  sender: user,
  linkPreview: null,
  attachments: [],
  reactions: [],
  mentions: [],
  seenBy: [],
});
const room = {
  id: 'r1',
  name: 'general',
  isGroup: true,
  unreadCount: 2,
  unreadMentionCount: 0,
  muted: false,
  lastSeq: 3,
  createdAt: '2026-01-01T00:00:00Z',
  lastActivityAt: '2026-01-02T00:00:00Z',
  members: [],
  lastMessage: null,
};

beforeEach(() => {
  responses.clear();
  useChat.getState().reset('me');
});

describe('fetchers', () => {
  it('the room list goes to the store; the query keeps the ids', async () => {
    responses.set(RoomsDocument, () => ({ rooms: [room] }));
    const { result } = renderHook(() => useRoomsQuery(), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toEqual(['r1']);
    expect(useChat.getState().rooms.r1).toEqual(room);
    expect(useChat.getState().eventSeq.r1).toBe(3);
  });

  it('history pages go to the store; the query keeps seqs and cursors for the window', async () => {
    responses.set(MessagesDocument, () => ({
      messages: {
        edges: [message(2), message(3)].map((node) => ({ cursor: `c${node.seq}`, node })),
        pageInfo: { hasPreviousPage: true, hasNextPage: false, startCursor: 'c2', endCursor: 'c3' },
      },
    }));
    const { result } = renderHook(() => useHistory('r1'), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(useChat.getState().messages.r1.ids).toEqual(['m2', 'm3']);
    expect(result.current.data?.pages).toEqual([
      { seqs: [2, 3], pageInfo: { hasPreviousPage: true, hasNextPage: false, startCursor: 'c2', endCursor: 'c3' } },
    ]);
    expect(result.current.span).toMatchObject({ from: 2, atEnd: true, atStart: false, maxSeq: 3 });
    expect(result.current.hasPreviousPage).toBe(true);
  });

  it('what the server accepts comes from serverInfo, nothing before it answers', async () => {
    const uploads = { enabled: true, maxBytes: 1234, types: ['image/png'] };
    responses.set(ServerInfoDocument, () => ({
      serverInfo: { version: '0.1.0', uploads, limits: { messageMaxChars: 4000, pageSizeMax: 100 } },
    }));
    const { result } = renderHook(() => useServerInfo(), { wrapper });
    expect(result.current).toBeNull();
    await waitFor(() => expect(result.current?.uploads).toEqual(uploads));
  });
});
