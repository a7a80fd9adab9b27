// Where the reader is in a room's history, and keeping them there: the view is placed once at the anchor (a
// permalinked message, the "New messages" divider, or the bottom), stays at the same message when older pages
// come in above, stays pinned to the bottom while the reader is there (also when images, receipts or reactions
// change the height), and loads older/newer pages while an edge of the window is within reach (checked again
// after every page, so a page that adds nothing visible never stalls it).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { HistoryAnchor, HistoryWindow } from '../lib/queries';
import type { Message } from '../store/merge';

/** Distance from the bottom (px) within which the reader counts as at the newest message. */
export const BOTTOM_SLACK = 60;
/** Older/newer pages load while their edge is within this distance (px) of the viewport. */
export const LOAD_MARGIN = 600;

/** What the hook needs of the history query (see `useHistory`). */
export interface PagedHistory {
  isSuccess: boolean;
  isFetching: boolean;
  isError: boolean;
  isFetchingPreviousPage: boolean;
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  fetchPreviousPage(): Promise<unknown>;
  fetchNextPage(): Promise<unknown>;
  data: unknown;
  span: HistoryWindow | null;
}

export interface ScrollAnchorOptions {
  history: PagedHistory;
  /** The messages on screen, oldest first. */
  messages: readonly Message[];
  anchor: HistoryAnchor;
  /** The row to bring into view first (a permalinked message, or the root of a permalinked reply). */
  focusRowId: string | null;
  meId: string;
  /** My unread count in the room and my marker when it was opened: whether unread messages lie above. */
  unreadCount: number;
  readMarker: number;
  /** Re-anchor the history (jump to the newest message, or to the first unread). */
  onAnchor(anchor: HistoryAnchor): void;
  /** The reader reached the bottom. */
  onReachBottom(): void;
}

export function useScrollAnchor(options: ScrollAnchorOptions) {
  const { history, messages, anchor, focusRowId, meId, unreadCount, readMarker, onAnchor, onReachBottom } = options;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const bottomSentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(anchor.kind === 'latest');
  /** A smooth "Jump to latest" under way: the bottom it aims at may move (the unread bar showing up shrinks
   * the view), so it stays the target until reached or the reader scrolls themselves. */
  const jumping = useRef(false);
  const [showJump, setShowJump] = useState(false);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const [unreadAbove, setUnreadAbove] = useState(false);
  const prepend = useRef<{ height: number; top: number } | null>(null);
  const placed = useRef(false);
  const prevLast = useRef<string | undefined>(undefined);
  const span = history.span;
  const atEnd = span?.atEnd ?? false;
  const isAtBottom = useCallback(() => atBottom.current, []);

  /** Where the reader is: at the bottom (pinned), the first unread above the viewport, older pages in reach. */
  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    if (bottom) jumping.current = false;
    else if (jumping.current) return;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      if (bottom) {
        setUnseenBelow(0);
        onReachBottom();
      }
    }
    setShowJump(!bottom || !atEnd);
    const divider = el.querySelector<HTMLElement>('[data-new-divider]');
    const unloadedUnread = !divider && unreadCount > 0 && !!span && !span.atStart && span.from > readMarker + 1;
    setUnreadAbove(unloadedUnread || (!!divider && divider.offsetTop + divider.offsetHeight < el.scrollTop));
  }, [onReachBottom, atEnd, unreadCount, span, readMarker]);

  /** Loads the next page on a side whose edge is within reach; called on scroll and after every page. */
  const loadInReach = useCallback(() => {
    const el = scroller.current;
    if (!el || !placed.current || history.isFetching || history.isError) return;
    const box = el.getBoundingClientRect();
    const top = topSentinel.current?.getBoundingClientRect();
    const bottom = bottomSentinel.current?.getBoundingClientRect();
    if (history.hasPreviousPage && top && top.bottom >= box.top - LOAD_MARGIN) {
      prepend.current = { height: el.scrollHeight, top: el.scrollTop };
      void history.fetchPreviousPage();
    } else if (history.hasNextPage && bottom && bottom.top <= box.bottom + LOAD_MARGIN) {
      void history.fetchNextPage();
    }
  }, [history]);

  // The observers live as long as the view and call the current callbacks.
  const callbacks = useRef({ loadInReach, measure });
  useLayoutEffect(() => {
    callbacks.current = { loadInReach, measure };
  });

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(() => callbacks.current.loadInReach(), {
      root: el,
      rootMargin: `${LOAD_MARGIN}px 0px`,
    });
    if (topSentinel.current) observer.observe(topSentinel.current);
    if (bottomSentinel.current) observer.observe(bottomSentinel.current);
    // The reader's own scrolling ends a jump in progress.
    const stopJump = () => void (jumping.current = false);
    el.addEventListener('wheel', stopJump, { passive: true });
    el.addEventListener('touchstart', stopJump, { passive: true });
    el.addEventListener('pointerdown', stopJump);
    el.addEventListener('keydown', stopJump);
    return () => {
      observer.disconnect();
      el.removeEventListener('wheel', stopJump);
      el.removeEventListener('touchstart', stopJump);
      el.removeEventListener('pointerdown', stopJump);
      el.removeEventListener('keydown', stopJump);
    };
  }, []);

  // After each page (or a page that added nothing), an edge still in reach loads the next one.
  useEffect(() => {
    if (!history.isFetching) callbacks.current.loadInReach();
  }, [history.isFetching, history.data]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const last = messages[messages.length - 1];
    if (!placed.current) {
      if (!history.isSuccess) return;
      placed.current = true;
      const focus = focusRowId ? el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusRowId)}"]`) : null;
      const divider = el.querySelector<HTMLElement>('[data-new-divider]');
      if (focus) {
        el.scrollTop = Math.max(0, focus.offsetTop - el.clientHeight / 3);
      } else if (divider && (anchor.kind === 'seq' || divider.offsetTop > el.clientHeight / 2)) {
        el.scrollTop = Math.max(0, divider.offsetTop - 80);
      } else {
        el.scrollTop = el.scrollHeight;
      }
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
      prevLast.current = last?.id;
      measure();
      return;
    }
    if (prepend.current && !history.isFetchingPreviousPage) {
      el.scrollTop = el.scrollHeight - prepend.current.height + prepend.current.top;
      prepend.current = null;
    } else if (last && last.id !== prevLast.current) {
      if (atBottom.current || last.local || last.sender?.id === meId) {
        if (atEnd) el.scrollTop = el.scrollHeight;
      } else if (atEnd && span && last.seq > span.maxSeq) {
        // Arrived live (not a page loaded below): counted on the jump button.
        setUnseenBelow((n) => n + 1);
      }
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevLast.current = last?.id;
  }, [messages, history.isSuccess, history.isFetchingPreviousPage, meId, atEnd, span, anchor.kind, focusRowId, measure]);

  // Anything that changes the height (images loading, receipts, reactions, the typing line, a narrower
  // window) keeps a reader at the bottom there, and updates the jump buttons.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (placed.current && (atBottom.current || jumping.current) && !prepend.current) el.scrollTop = el.scrollHeight;
      callbacks.current.measure();
    });
    observer.observe(el);
    if (content.current) observer.observe(content.current);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    measure();
    loadInReach();
  };

  const jumpToLatest = () => {
    if (!atEnd) {
      onAnchor({ kind: 'latest' });
      return;
    }
    const el = scroller.current;
    if (!el) return;
    jumping.current = el.scrollHeight - el.scrollTop - el.clientHeight >= BOTTOM_SLACK;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setShowJump(false);
    setUnseenBelow(0);
    onReachBottom();
  };

  const jumpToFirstUnread = () => {
    const el = scroller.current;
    const divider = el?.querySelector<HTMLElement>('[data-new-divider]');
    if (el && divider) el.scrollTo({ top: Math.max(0, divider.offsetTop - 80) });
    else onAnchor({ kind: 'seq', seq: readMarker + 1 });
  };

  return {
    refs: { scroller, content, topSentinel, bottomSentinel },
    isAtBottom,
    showJump,
    unseenBelow,
    unreadAbove,
    onScroll,
    jumpToLatest,
    jumpToFirstUnread,
  };
}
