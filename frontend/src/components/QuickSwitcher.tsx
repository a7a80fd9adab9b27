import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { openDirectRoom } from '../lib/actions';
import { navigate } from '../lib/router';
import { rankSwitcher, type SwitcherItem } from '../lib/switcher';
import { useChat } from '../store/chat';
import { dmPartner, roomTitle } from '../store/merge';
import { Icon } from './Icons';
import { Modal } from './Modal';

/** Ctrl/Cmd+K: type a few letters of a room or a person, Enter opens it; the last option searches messages. */
export function QuickSwitcher({ meId, onClose, onSearch }: { meId: string; onClose(): void; onSearch?(query: string): void }) {
  const rooms = useChat((s) => s.rooms);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const listId = useId();
  const items = useMemo(() => {
    const all: SwitcherItem[] = [];
    const direct = new Set<string>();
    for (const r of Object.values(rooms)) {
      const title = roomTitle(r, meId);
      all.push({ key: r.id, label: r.isGroup ? `# ${title}` : title, target: { roomId: r.id }, unread: r.unreadCount });
      const partner = dmPartner(r, meId);
      if (partner) direct.add(partner.id);
    }
    // People I share a group with but have no direct conversation with yet.
    const people = new Map<string, string>();
    for (const r of Object.values(rooms))
      for (const m of r.members) if (m.user.id !== meId && !direct.has(m.user.id)) people.set(m.user.id, m.user.nickname);
    for (const [id, nickname] of people) all.push({ key: `u:${id}`, label: nickname, target: { userId: id }, unread: 0 });
    return all;
  }, [rooms, meId]);
  const results = rankSwitcher(items, query);
  // One more option after the conversations: search messages for what was typed.
  const options = results.length + (onSearch ? 1 : 0);
  const active = Math.min(index, Math.max(options - 1, 0));
  const searchMessages = () => {
    onClose();
    onSearch?.(query.trim());
  };

  const open = (item: SwitcherItem | undefined) => {
    if (!item) return;
    onClose();
    if ('roomId' in item.target) navigate(`/r/${item.target.roomId}`);
    else void openDirectRoom(item.target.userId).then((id) => navigate(`/r/${id}`));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = options || 1;
      setIndex((active + (e.key === 'ArrowDown' ? 1 : -1) + n) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active === results.length && onSearch) searchMessages();
      else open(results[active]);
    }
  };

  return (
    <Modal title="Jump to a conversation" onClose={onClose}>
      <input
        className="input"
        autoFocus
        placeholder="Room or person"
        aria-label="Find a conversation"
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={active < options ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="switcher" id={listId} role="listbox" aria-label="Conversations">
        {results.map((item, i) => (
          <li
            key={item.key}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`switcher__item${i === active ? ' switcher__item--active' : ''}`}
            onMouseEnter={() => setIndex(i)}
            onMouseDown={(e) => {
              e.preventDefault();
              open(item);
            }}
          >
            <span>{item.label}</span>
            {'userId' in item.target ? <span className="muted">Direct message</span> : null}
            {item.unread > 0 ? <span className="badge">{item.unread}</span> : null}
          </li>
        ))}
        {results.length === 0 ? <li className="muted switcher__empty">No match</li> : null}
        {onSearch ? (
          <li
            id={`${listId}-${results.length}`}
            role="option"
            aria-selected={active === results.length}
            className={`switcher__item${active === results.length ? ' switcher__item--active' : ''}`}
            onMouseEnter={() => setIndex(results.length)}
            onMouseDown={(e) => {
              e.preventDefault();
              searchMessages();
            }}
          >
            <span>{query.trim() ? `Search messages for “${query.trim()}”` : 'Search messages'}</span>
            <Icon name="search" size={16} />
          </li>
        ) : null}
      </ul>
    </Modal>
  );
}
