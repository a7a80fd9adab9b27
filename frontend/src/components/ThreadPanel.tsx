import { useEffect, useMemo, useRef } from 'react';
import { editLastMessage } from '../lib/actions';
import { useThreadQuery } from '../lib/queries';
import { minutesBetween, shortWhen } from '../lib/time';
import { Avatar } from './Avatar';
import { useChat } from '../store/chat';
import { emptyList, type Room } from '../store/merge';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { Icon } from './Icons';
import { BROADCASTS } from '../lib/mentions';

const EMPTY = emptyList();

export function ThreadPanel({ room, rootId, meId }: { room: Room; rootId: string; meId: string }) {
  const query = useThreadQuery(rootId);
  const root = useChat((s) => s.messages[room.id]?.byId[rootId]);
  const list = useChat((s) => s.threads[rootId]) ?? EMPTY;
  const close = useChat((s) => s.setActiveThread);
  const replies = useMemo(() => list.ids.map((id) => list.byId[id]), [list]);
  // Broadcast mentions are highlighted like names in a group room, where they notify.
  const memberNames = useMemo(
    () => [...room.members.map((m) => m.user.nickname), ...(room.isGroup ? BROADCASTS.map((b) => b.nickname) : [])],
    [room.members, room.isGroup],
  );
  const myRole = room.members.find((m) => m.user.id === meId)?.role;
  const canModerate = myRole === 'OWNER' || myRole === 'ADMIN';
  const scroller = useRef<HTMLDivElement>(null);
  // Who replied (most recent first) and when the last reply came.
  const participants = useMemo(() => {
    const seen = new Map<string, NonNullable<(typeof replies)[number]['sender']>>();
    for (let i = replies.length - 1; i >= 0; i--) {
      const s = replies[i].sender;
      if (s && !seen.has(s.id)) seen.set(s.id, s);
    }
    return [...seen.values()];
  }, [replies]);
  const lastReplyAt = replies.length > 0 ? replies[replies.length - 1].createdAt : root?.lastReplyAt;

  // A reply opened from search is brought into view (once it is loaded); otherwise the newest replies are.
  const focusId = useChat((s) => s.threadFocusId);
  const focusLoaded = !!focusId && !!list.byId[focusId];
  const shownFocus = useRef<string | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (focusId && focusLoaded && shownFocus.current !== focusId) {
      shownFocus.current = focusId;
      el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusId)}"]`)?.scrollIntoView?.({ block: 'center' });
      return;
    }
    el.scrollTop = el.scrollHeight;
  }, [replies.length, focusId, focusLoaded]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('.modal, .emoji-popover')) close(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [close]);

  return (
    <aside className="thread" aria-label="Thread">
      <header className="thread__header">
        <div>
          <h2>Thread</h2>
          <p className="muted">{room.isGroup ? `# ${room.name ?? ''}` : 'Direct message'}</p>
        </div>
        <button type="button" className="icon-button" aria-label="Close thread" onClick={() => close(null)}>
          <Icon name="close" size={16} />
        </button>
      </header>
      <div className="thread__scroller" ref={scroller} role="log" aria-label="Replies">
        {root ? (
          <div className="thread__root">
            <MessageItem message={root} meId={meId} compact={false} canModerate={canModerate} memberNames={memberNames} inThread />
          </div>
        ) : null}
        <div className="thread__count">
          {query.isPending ? 'Loading replies…' : `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`}
          {participants.length > 0 ? (
            <span className="thread__participants" data-testid="thread-participants" aria-label={`Replies from ${participants.map((p) => p.nickname).join(', ')}`}>
              {participants.slice(0, 5).map((p) => (
                <Avatar key={p.id} id={p.id} name={p.nickname} url={p.avatarUrl} size={20} />
              ))}
              {lastReplyAt ? <span>last reply {shortWhen(lastReplyAt)}</span> : null}
            </span>
          ) : null}
        </div>
        {replies.map((m, i) => {
          const prev = replies[i - 1];
          const compact =
            !!prev && !prev.deletedAt && prev.sender?.id === m.sender?.id && minutesBetween(prev.createdAt, m.createdAt) < 5;
          return (
            <MessageItem
              key={m.id}
              message={m}
              meId={meId}
              compact={compact}
              canModerate={canModerate}
              memberNames={memberNames}
              inThread
              focused={m.id === focusId}
            />
          );
        })}
      </div>
      <Composer roomId={room.id} parentId={rootId} meId={meId} members={room.members} isGroup={room.isGroup} placeholder="Reply in thread" autoFocus onEditLast={() => editLastMessage(room.id, rootId)} />
    </aside>
  );
}
