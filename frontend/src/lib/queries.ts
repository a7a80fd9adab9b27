// Server state through TanStack Query: each hook fetches with a generated document and hands the result to the
// chat store, where live events keep it current.
import { useEffect, useMemo } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  CapabilitiesDocument,
  MeDocument,
  MessagesDocument,
  RoomsDocument,
  ThreadDocument,
  type MeQuery,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { withProfile, type Profile } from '../store/merge';
import { execute } from './execute';
import { queryClient } from './queryClient';

export const PAGE_SIZE = 50;

export function useMeQuery() {
  return useQuery({ queryKey: ['me'], queryFn: () => execute(MeDocument) });
}

/** Puts a fresh copy of my profile (e.g. `updateProfile`'s answer) into the `me` query. */
export function setMeUser(user: MeQuery['me']['user']): void {
  queryClient.setQueryData<MeQuery>(['me'], (old) => (old ? { me: { ...old.me, user } } : old));
}

/**
 * A profile change (`UserUpdated`) in the cached results the store is filled from again (history pages are
 * merged again when a page is added; my profile). The room list is not rewritten: it is only merged when
 * fetched anew, and the store already holds the change.
 */
export function applyProfileToQueries(user: Profile): void {
  for (const queryKey of [['me'], ['messages'], ['thread']]) {
    queryClient.setQueriesData({ queryKey }, (old: unknown) => (old === undefined ? old : withProfile(old, user)));
  }
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

/** Where a room's history opens: at the newest message, at the first message from a seq on (the first unread),
 * or around one message (a permalink). */
export type HistoryAnchor = { kind: 'latest' } | { kind: 'seq'; seq: number } | { kind: 'message'; id: string };

type PageParam = { kind: 'initial' } | { kind: 'before'; cursor: string } | { kind: 'after'; cursor: string };

export function anchorKey(anchor: HistoryAnchor): string {
  return anchor.kind === 'latest' ? 'latest' : anchor.kind === 'seq' ? `seq:${anchor.seq}` : `message:${anchor.id}`;
}

/** History older than this is fetched again when the room is opened (its signed file URLs expire). */
const HISTORY_STALE_MS = 10 * 60_000;

/**
 * A contiguous window of the room's history: the first page at the anchor, older pages prepended
 * (`fetchPreviousPage`), newer ones appended (`fetchNextPage`) until the newest message is reached.
 */
export function useHistory(roomId: string, anchor: HistoryAnchor = { kind: 'latest' }) {
  const mergeHistory = useChat((s) => s.mergeHistory);
  const query = useInfiniteQuery({
    queryKey: ['messages', roomId, anchorKey(anchor)],
    queryFn: async ({ pageParam }: { pageParam: PageParam }) => {
      const vars =
        pageParam.kind === 'before'
          ? { last: PAGE_SIZE, before: pageParam.cursor }
          : pageParam.kind === 'after'
            ? { first: PAGE_SIZE, after: pageParam.cursor }
            : anchor.kind === 'seq'
              ? { first: PAGE_SIZE, aroundSeq: anchor.seq }
              : anchor.kind === 'message'
                ? { first: PAGE_SIZE, around: anchor.id }
                : { last: PAGE_SIZE };
      const page = await execute(MessagesDocument, { roomId, ...vars });
      // Into the store before the page reaches the view: the rows and the window that shows them change in
      // one render, so the scroll position is kept in that render.
      useChat.getState().mergeHistory(roomId, page.messages.edges.map((e) => e.node));
      return page;
    },
    initialPageParam: { kind: 'initial' } as PageParam,
    getPreviousPageParam: (page): PageParam | undefined =>
      page.messages.pageInfo.hasPreviousPage && page.messages.pageInfo.startCursor
        ? { kind: 'before', cursor: page.messages.pageInfo.startCursor }
        : undefined,
    getNextPageParam: (page): PageParam | undefined =>
      page.messages.pageInfo.hasNextPage && page.messages.pageInfo.endCursor
        ? { kind: 'after', cursor: page.messages.pageInfo.endCursor }
        : undefined,
    staleTime: HISTORY_STALE_MS,
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    const pages = query.data?.pages;
    if (!pages || pages.length === 0) return;
    mergeHistory(
      roomId,
      pages.flatMap((p) => p.messages.edges.map((e) => e.node)),
    );
  }, [query.data, roomId, mergeHistory]);
  const span = useMemo(() => historyWindow(query.data?.pages.map((p) => p.messages)), [query.data]);
  return { ...query, span };
}

/** The seqs a loaded history covers: `from`..`to` inclusive (open-ended where the history is complete). */
export interface HistoryWindow {
  from: number;
  to: number;
  /** The newest message is loaded: live messages and my unsent ones belong at the end. */
  atEnd: boolean;
  /** The oldest message is loaded. */
  atStart: boolean;
  /** The newest seq in the pages: a message above it arrived live. */
  maxSeq: number;
}

type PageShape = { edges: readonly { node: { seq: number } }[]; pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean } };

export function historyWindow(pages: readonly PageShape[] | undefined): HistoryWindow | null {
  if (!pages || pages.length === 0) return null;
  const first = pages[0];
  const last = pages[pages.length - 1];
  const atStart = !first.pageInfo.hasPreviousPage;
  const atEnd = !last.pageInfo.hasNextPage;
  const seqs = pages.flatMap((p) => p.edges.map((e) => e.node.seq));
  const from = atStart || seqs.length === 0 ? -Infinity : Math.min(...seqs);
  const to = atEnd || seqs.length === 0 ? Infinity : Math.max(...seqs);
  return { from, to, atEnd, atStart, maxSeq: seqs.length ? Math.max(...seqs) : 0 };
}

/** The messages of a list that belong on screen for a window: no live message across a gap. */
export function inWindow<T extends { seq: number; local?: unknown }>(messages: readonly T[], span: HistoryWindow | null): T[] {
  if (!span) return [];
  return messages.filter((m) => (m.local ? span.atEnd : m.seq >= span.from && m.seq <= span.to));
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
