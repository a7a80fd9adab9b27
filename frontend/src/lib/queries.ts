// The fetchers: TanStack Query runs each request (de-duplication, retries, staleness, paging cursors) and
// its function hands the data to the chat store, which owns it; what a query keeps is only what paging needs
// (cursors and the seqs a page covered), so no component reads server data from a query result and nothing
// copies one into the store afterwards.
import { useMemo } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  IntegrationsDocument,
  MeDocument,
  MessagesDocument,
  RoomIntegrationsDocument,
  RoomsDocument,
  ServerInfoDocument,
  SlashCommandsDocument,
  ThreadDocument,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { execute } from './execute';

export const PAGE_SIZE = 50;

/** Me into the store (`viewer`). */
export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const { me } = await execute(MeDocument);
      useChat.getState().setViewer(me);
      return me.user.id;
    },
  });
}

/** My rooms into the store (merged with what live events already brought); the query keeps their ids. */
export function useRoomsQuery() {
  return useQuery({
    queryKey: ['rooms'],
    queryFn: async () => {
      const { rooms } = await execute(RoomsDocument);
      useChat.getState().setRooms(rooms);
      return rooms.map((r) => r.id);
    },
  });
}

/**
 * What this server accepts (uploads, limits), from `serverInfo`: configuration, not chat data, so it stays in
 * the query. Asked once; `null` until it answers (nothing is offered on a guess).
 */
export function useServerInfo() {
  const query = useQuery({
    queryKey: ['serverInfo'],
    queryFn: () => execute(ServerInfoDocument),
    staleTime: Infinity,
  });
  return query.data?.serverInfo ?? null;
}

/** My bots and API tokens, for the settings: account configuration, not chat data, so it stays in the query. */
export function useIntegrations() {
  const query = useQuery({ queryKey: ['integrations'], queryFn: () => execute(IntegrationsDocument) });
  return { data: query.data ?? null, error: query.error };
}

/**
 * The room's slash commands, for the composer's suggestions: room configuration, not chat data, so it stays in
 * the query. Asked when `enabled` (the user typed `/`); empty until it answers or when it fails.
 */
export function useSlashCommands(roomId: string, enabled: boolean) {
  const query = useQuery({
    queryKey: ['slashCommands', roomId],
    queryFn: () => execute(SlashCommandsDocument, { roomId }),
    enabled,
    staleTime: 60_000,
  });
  return query.data?.slashCommands ?? [];
}

/** A room's webhooks and slash commands, with my bots, for its integrations dialog (owners and admins). */
export function useRoomIntegrations(roomId: string) {
  const query = useQuery({
    queryKey: ['roomIntegrations', roomId],
    queryFn: () => execute(RoomIntegrationsDocument, { roomId }),
  });
  return { data: query.data ?? null, error: query.error };
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
      const { messages } = await execute(MessagesDocument, { roomId, ...vars });
      const nodes = messages.edges.map((e) => e.node);
      // Into the store before the page reaches the view: the rows and the window that shows them change in
      // one render, so the scroll position is kept in that render.
      useChat.getState().mergeHistory(roomId, nodes);
      const page: HistoryPage = { seqs: nodes.map((m) => m.seq), pageInfo: messages.pageInfo };
      return page;
    },
    initialPageParam: { kind: 'initial' } as PageParam,
    getPreviousPageParam: (page): PageParam | undefined =>
      page.pageInfo.hasPreviousPage && page.pageInfo.startCursor
        ? { kind: 'before', cursor: page.pageInfo.startCursor }
        : undefined,
    getNextPageParam: (page): PageParam | undefined =>
      page.pageInfo.hasNextPage && page.pageInfo.endCursor
        ? { kind: 'after', cursor: page.pageInfo.endCursor }
        : undefined,
    staleTime: HISTORY_STALE_MS,
    refetchOnWindowFocus: false,
  });
  const span = useMemo(() => historyWindow(query.data?.pages), [query.data]);
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

/** What a history query keeps of a page (its messages went to the store): the seqs it held and its cursors. */
export interface HistoryPage {
  seqs: number[];
  pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor?: string | null; endCursor?: string | null };
}

export function historyWindow(pages: readonly HistoryPage[] | undefined): HistoryWindow | null {
  if (!pages || pages.length === 0) return null;
  const first = pages[0];
  const last = pages[pages.length - 1];
  const atStart = !first.pageInfo.hasPreviousPage;
  const atEnd = !last.pageInfo.hasNextPage;
  const seqs = pages.flatMap((p) => p.seqs);
  const from = atStart || seqs.length === 0 ? -Infinity : Math.min(...seqs);
  const to = atEnd || seqs.length === 0 ? Infinity : Math.max(...seqs);
  return { from, to, atEnd, atStart, maxSeq: seqs.length ? Math.max(...seqs) : 0 };
}

/** The messages of a list that belong on screen for a window: no live message across a gap. */
export function inWindow<T extends { seq: number; local?: unknown }>(messages: readonly T[], span: HistoryWindow | null): T[] {
  if (!span) return [];
  return messages.filter((m) => (m.local ? span.atEnd : m.seq >= span.from && m.seq <= span.to));
}

/** A thread's replies into the store; the query keeps how many came. */
export function useThreadQuery(rootId: string) {
  return useQuery({
    queryKey: ['thread', rootId],
    queryFn: async () => {
      const { thread } = await execute(ThreadDocument, { messageId: rootId, first: 100 });
      useChat.getState().mergeThread(rootId, thread.edges.map((e) => e.node));
      return thread.edges.length;
    },
    refetchOnWindowFocus: false,
  });
}
