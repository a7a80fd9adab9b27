import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { SearchDocument, SearchUsersDocument, type SearchQuery, type SearchSort } from '../gql/graphql';
import { errorMessage, execute, GraphQLRequestError } from '../lib/execute';
import { navigate } from '../lib/router';
import {
  applySuggestion,
  excerptParts,
  groupByRoom,
  hitWhen,
  suggest,
  tokenAt,
  type Suggestion,
  type SuggestionPerson,
  type SuggestionRoom,
} from '../lib/search';
import { useChat } from '../store/chat';
import { roomTitle } from '../store/merge';
import { Avatar } from './Avatar';
import { Icon } from './Icons';
import { Modal } from './Modal';

const PAGE = 20;

type Hit = SearchQuery['search']['edges'][number]['node'];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Moves the focus to the element once it is rendered (its history may still be loading), without scrolling:
 * the history places it. Gives up after a few seconds. */
function focusWhenShown(selector: string, until = Date.now() + 5_000) {
  const el = document.querySelector<HTMLElement>(selector);
  if (el) el.focus({ preventScroll: true });
  else if (Date.now() < until) requestAnimationFrame(() => focusWhenShown(selector, until));
}

/** Opens the room around a hit, highlighted; a thread reply opens its thread with the reply highlighted. The
 * focus goes to the message, so reading goes on from there. */
export function openHit(message: Pick<Hit['message'], 'id' | 'roomId' | 'parentId'>) {
  const chat = useChat.getState();
  if (message.parentId) {
    navigate(`/r/${encodeURIComponent(message.roomId)}/m/${encodeURIComponent(message.parentId)}`);
    // The room is made active here so that opening it does not close the thread opened next.
    chat.setActiveRoom(message.roomId);
    chat.setActiveThread(message.parentId, message.id);
    focusWhenShown(`.thread article[data-message-id="${CSS.escape(message.id)}"]`);
  } else {
    navigate(`/r/${encodeURIComponent(message.roomId)}/m/${encodeURIComponent(message.id)}`);
    focusWhenShown(`.room article[data-message-id="${CSS.escape(message.id)}"]`);
  }
}

export interface SearchPanelProps {
  meId: string;
  query: string;
  onQueryChange(query: string): void;
  /** Must keep its identity across renders (the dialog re-focuses when it changes). */
  onClose(): void;
}

/**
 * Message search (Ctrl/Cmd+F): a query box with operator suggestions, and the hits grouped by room. Hits are a
 * snapshot of one moment (rank and highlights), not chat state, so they stay in the query, not the store.
 */
export function SearchPanel({ meId, query, onQueryChange, onClose }: SearchPanelProps) {
  const rooms = useChat((s) => s.rooms);
  const [sort, setSort] = useState<SearchSort>('RELEVANCE');
  // The query searched: what was typed, once typing pauses (searches are rate limited per user), or at Enter.
  const [committed, setCommitted] = useState(query.trim());
  const [caret, setCaret] = useState(query.length);
  const [suggestOpen, setSuggestOpen] = useState(true);
  // The highlighted suggestion; null: the default one (see `activeIndex`).
  const [active, setActive] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const errorId = useId();
  const statusId = useId();

  // ---------- suggestions ----------
  const token = useMemo(() => tokenAt(query, caret), [query, caret]);
  const personQuery = token.key === 'from' || token.key === 'mentions' ? (token.value ?? '').replace(/^@/, '').trim() : '';
  const people = useDebounced(personQuery, 150);
  const remotePeople = useQuery({
    queryKey: ['searchUsers', people],
    queryFn: () => execute(SearchUsersDocument, { query: people, first: 8 }),
    enabled: people.length > 0,
    staleTime: 60_000,
  });
  const context = useMemo(() => {
    const known = new Map<string, SuggestionPerson>();
    for (const r of Object.values(rooms)) for (const m of r.members) known.set(m.user.id, m.user);
    for (const u of remotePeople.data?.searchUsers ?? []) known.set(u.id, u);
    known.delete(meId);
    const myRooms: SuggestionRoom[] = Object.values(rooms).map((r) => ({
      id: r.id,
      name: r.isGroup ? (r.name ?? '') : null,
      title: r.isGroup ? `# ${roomTitle(r, meId)}` : roomTitle(r, meId),
    }));
    return { people: [...known.values()], rooms: myRooms };
  }, [rooms, remotePeople.data, meId]);
  const suggestions = useMemo(() => (suggestOpen ? suggest(query, token, context) : []), [suggestOpen, query, token, context]);
  const showSuggestions = suggestions.length > 0;
  // Values of an operator (`from:@…`) are picked with Enter at once; operator names and the help list only
  // once chosen with the arrows (or Tab), so Enter after a word such as "in" searches for it.
  const activeIndex =
    active === null ? (token.key !== undefined && showSuggestions ? 0 : -1) : Math.min(active, suggestions.length - 1);

  // Not while an operator's value is being typed or picked (`from:@al`): it would search for a half nickname.
  const typingOperator = token.key !== undefined && (showSuggestions || !(token.value ?? '').replace(/^[@#"]/, ''));
  useEffect(() => {
    if (typingOperator) return;
    const timer = setTimeout(() => setCommitted(query.trim()), 400);
    return () => clearTimeout(timer);
  }, [query, typingOperator]);

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !input.current) return;
    input.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const change = (value: string, at: number) => {
    onQueryChange(value);
    setCaret(at);
    setActive(null);
    setSuggestOpen(true);
  };

  const accept = (s: Suggestion) => {
    const next = applySuggestion(query, token, s);
    pendingCaret.current = next.caret;
    change(next.query, next.caret);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (showSuggestions && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = suggestions.length;
      const from = activeIndex < 0 && e.key === 'ArrowDown' ? -1 : activeIndex < 0 ? 0 : activeIndex;
      setActive((from + (e.key === 'ArrowDown' ? 1 : -1) + n) % n);
    } else if (showSuggestions && (e.key === 'Tab' || (e.key === 'Enter' && activeIndex >= 0))) {
      e.preventDefault();
      accept(suggestions[Math.max(activeIndex, 0)]);
    } else if (showSuggestions && e.key === 'Escape') {
      // The first Escape closes the suggestions, the next one the search.
      e.preventDefault();
      e.stopPropagation();
      setSuggestOpen(false);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setSuggestOpen(false);
      setCommitted(query.trim());
    } else if (e.key === 'ArrowDown') {
      const first = resultsRef.current?.querySelector<HTMLElement>('.search-hit');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  // ---------- results ----------
  const results = useInfiniteQuery({
    queryKey: ['search', committed, sort],
    queryFn: ({ pageParam }) => execute(SearchDocument, { query: committed, first: PAGE, after: pageParam, sort }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.search.pageInfo.hasNextPage ? page.search.pageInfo.endCursor : undefined),
    enabled: committed.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
  const badInput = results.error instanceof GraphQLRequestError && results.error.code === 'BAD_USER_INPUT' ? results.error.message : null;
  const hits = useMemo(
    () =>
      (results.data?.pages ?? [])
        .flatMap((p) => p.search.edges.map((e) => e.node))
        // Only rooms I am in now: a cached page may still hold hits of a room I left since.
        .filter((h) => !!rooms[h.room.id]),
    [results.data, rooms],
  );
  const groups = useMemo(() => groupByRoom(hits, (h) => h.room.id), [hits]);
  const showing = committed.length > 0 && !badInput;

  // More results while the end of the list is in view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = results;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, groups.length]);

  const open = (e: MouseEvent<HTMLAnchorElement>, hit: Hit) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    onClose();
    openHit(hit.message);
  };

  // Arrow keys move between hits; Escape goes back to the query.
  const onResultsKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const all = [...(resultsRef.current?.querySelectorAll<HTMLElement>('.search-hit') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowUp' && at === 0) input.current?.focus();
    else all[Math.min(all.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1))]?.focus();
  };

  const status = !showing
    ? ''
    : results.isPending
      ? 'Searching…'
      : results.isError
        ? ''
        : hits.length === 0
          ? 'No messages found'
          : `${hits.length}${hasNextPage ? '+' : ''} ${hits.length === 1 && !hasNextPage ? 'result' : 'results'}`;

  return (
    <Modal title="Search messages" onClose={onClose} className="modal--search">
      <div className="search">
        <div className="search__bar">
          <span className="search__icon" aria-hidden="true">
            <Icon name="search" />
          </span>
          <input
            ref={input}
            className="input search__input"
            type="search"
            data-search-input
            placeholder="Search messages, or try from:@ in:# has:link"
            aria-label="Search messages"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showSuggestions}
            aria-controls={listId}
            aria-activedescendant={showSuggestions && activeIndex >= 0 ? `${listId}-${activeIndex}` : undefined}
            aria-invalid={badInput ? true : undefined}
            aria-describedby={badInput ? errorId : statusId}
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(e) => change(e.target.value, e.target.selectionStart ?? e.target.value.length)}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? query.length)}
            onKeyDown={onKeyDown}
            onFocus={() => setSuggestOpen(true)}
            onBlur={() => setSuggestOpen(false)}
          />
          <ul className="search__suggestions" id={listId} role="listbox" aria-label="Suggestions" hidden={!showSuggestions}>
            {suggestions.map((s, i) => (
              <li
                key={s.key}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === activeIndex}
                className={`search__suggestion${i === activeIndex ? ' search__suggestion--active' : ''}`}
                onMouseEnter={() => setActive(i)}
                onMouseDown={(e) => {
                  // Keeps the focus (and the caret) in the box.
                  e.preventDefault();
                  accept(s);
                }}
              >
                <span className="search__suggestion-label">{s.label}</span>
                {s.detail ? <span className="muted">{s.detail}</span> : null}
              </li>
            ))}
          </ul>
        </div>
        {badInput ? (
          <p className="search__error" id={errorId} role="alert">
            {badInput}
          </p>
        ) : null}
        <div className="search__toolbar">
          <span id={statusId} role="status" className="muted search__status">
            {status}
          </span>
          <div className="search__sort" role="group" aria-label="Sort results">
            {(['RELEVANCE', 'RECENT'] as const).map((s) => (
              <button
                key={s}
                type="button"
                className={`search__sort-button${sort === s ? ' search__sort-button--on' : ''}`}
                aria-pressed={sort === s}
                onClick={() => setSort(s)}
              >
                {s === 'RELEVANCE' ? 'Best match' : 'Newest'}
              </button>
            ))}
          </div>
        </div>
        <div
          className="search__results"
          ref={resultsRef}
          onKeyDown={onResultsKey}
          aria-label="Search results"
          role="region"
          aria-busy={results.isFetching}
        >
          {!showing && !badInput ? (
            <div className="search__empty">
              <p>Find messages in your conversations. Parts of words, any language and emoji are found.</p>
              <p className="muted">
                Narrow it down with <code>from:@nickname</code>, <code>in:#room</code>, <code>mentions:me</code>, <code>has:image</code>,{' '}
                <code>has:link</code>, <code>is:thread</code>, <code>before:YYYY-MM-DD</code>, <code>after:YYYY-MM-DD</code>,{' '}
                <code>"exact phrase"</code> and <code>-excluded</code>.
              </p>
            </div>
          ) : null}
          {showing && results.isPending ? (
            <div className="search__loading">
              <span className="spinner" aria-hidden="true" />
            </div>
          ) : null}
          {showing && results.isError ? (
            <div className="search__empty" role="alert">
              <p>Search failed: {errorMessage(results.error)}</p>
              <button type="button" className="button button--ghost button--small" onClick={() => void results.refetch()}>
                Try again
              </button>
            </div>
          ) : null}
          {showing && results.isSuccess && hits.length === 0 ? (
            <div className="search__empty">
              <p>No messages match “{committed}”.</p>
              <p className="muted">Check the spelling, use fewer words, or remove an operator.</p>
            </div>
          ) : null}
          {showing && !results.isError
            ? groups.map((group) => {
                const room = rooms[group.roomId];
                const title = room ? roomTitle(room, meId) : (group.hits[0].room.name ?? 'Direct message');
                const isGroup = room ? room.isGroup : group.hits[0].room.isGroup;
                const headingId = `${listId}-room-${group.roomId}`;
                return (
                  <section key={group.roomId} className="search-group" aria-labelledby={headingId}>
                    <h3 id={headingId} className="search-group__title">
                      {isGroup ? `# ${title}` : title}
                    </h3>
                    <ul className="search-group__hits">
                      {group.hits.map((hit) => (
                        <li key={hit.message.id}>
                          <SearchHitRow hit={hit} onOpen={open} />
                        </li>
                      ))}
                    </ul>
                  </section>
                );
              })
            : null}
          {showing && hasNextPage && !results.isError ? (
            <div className="search__more" ref={sentinel}>
              {isFetchingNextPage ? (
                <span className="spinner" aria-label="Loading more results" />
              ) : (
                <button type="button" className="button button--ghost button--small" onClick={() => void fetchNextPage()}>
                  More results
                </button>
              )}
            </div>
          ) : null}
        </div>
      </div>
    </Modal>
  );
}

function SearchHitRow({ hit, onOpen }: { hit: Hit; onOpen(e: MouseEvent<HTMLAnchorElement>, hit: Hit): void }) {
  const m = hit.message;
  const parts = useMemo(() => excerptParts(m.content ?? '', hit.highlights), [m.content, hit.highlights]);
  const sender = m.sender?.nickname ?? 'Deleted user';
  const images = m.attachments.length;
  return (
    <a
      className="search-hit"
      href={`/r/${encodeURIComponent(m.roomId)}/m/${encodeURIComponent(m.id)}`}
      data-message-id={m.id}
      onClick={(e) => onOpen(e, hit)}
    >
      <Avatar id={m.sender?.id ?? m.id} name={sender} url={m.sender?.avatarUrl} size={28} />
      <span className="search-hit__body">
        <span className="search-hit__meta">
          <span className="search-hit__sender">{sender}</span>
          <time dateTime={m.createdAt}>{hitWhen(m.createdAt)}</time>
          {m.parentId ? (
            <span className="search-hit__thread">
              <Icon name="thread" size={14} /> Thread reply
            </span>
          ) : null}
        </span>
        <span className="search-hit__text">
          {parts.length === 0 ? (
            <span className="muted">{images ? `${images === 1 ? 'An attachment' : `${images} attachments`}` : 'No text'}</span>
          ) : (
            parts.map((p, i) => (p.matched ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))
          )}
        </span>
      </span>
    </a>
  );
}
