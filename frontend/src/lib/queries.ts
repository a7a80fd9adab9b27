// Server state through TanStack Query: each hook fetches with a generated document and hands the result to the
// chat store, where live events keep it current.
import { useEffect } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  CapabilitiesDocument,
  MeDocument,
  MessagesDocument,
  RoomsDocument,
  ThreadDocument,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { execute } from './execute';

export const PAGE_SIZE = 50;

export function useMeQuery() {
  return useQuery({ queryKey: ['me'], queryFn: () => execute(MeDocument) });
}

export function useRoomsQuery() {
  const query = useQuery({ queryKey: ['rooms'], queryFn: () => execute(RoomsDocument) });
  const setRooms = useChat((s) => s.setRooms);
  useEffect(() => {
    if (query.data) setRooms(query.data.rooms);
  }, [query.data, setRooms]);
  return query;
}

/** What the server offers beyond the base contract (read from its schema). */
export function useCapabilities() {
  const query = useQuery({
    queryKey: ['capabilities'],
    queryFn: () => execute(CapabilitiesDocument),
    staleTime: Infinity,
    retry: false,
  });
  const names = new Set(query.data?.mutationType?.fields?.map((f) => f.name) ?? []);
  return { uploads: names.has('uploadImage') };
}

/** The room's history, newest page first, older pages as the user scrolls up. */
export function useHistory(roomId: string) {
  const mergeHistory = useChat((s) => s.mergeHistory);
  const query = useInfiniteQuery({
    queryKey: ['messages', roomId],
    queryFn: ({ pageParam }) =>
      execute(MessagesDocument, { roomId, last: PAGE_SIZE, before: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) =>
      page.messages.pageInfo.hasPreviousPage ? (page.messages.pageInfo.startCursor ?? undefined) : undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    const pages = query.data?.pages;
    if (!pages || pages.length === 0) return;
    const last = pages[pages.length - 1].messages.pageInfo;
    mergeHistory(
      roomId,
      pages.flatMap((p) => p.messages.edges.map((e) => e.node)),
      { oldestCursor: last.startCursor ?? null, hasMore: last.hasPreviousPage },
    );
  }, [query.data, roomId, mergeHistory]);
  return query;
}

export function useThreadQuery(rootId: string) {
  const mergeThread = useChat((s) => s.mergeThread);
  const query = useQuery({
    queryKey: ['thread', rootId],
    queryFn: () => execute(ThreadDocument, { messageId: rootId, first: 100 }),
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    if (query.data) mergeThread(rootId, query.data.thread.edges.map((e) => e.node));
  }, [query.data, rootId, mergeThread]);
  return query;
}
