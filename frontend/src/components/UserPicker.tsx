import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { SearchUsersDocument, type UserFieldsFragment } from '../gql/graphql';
import { execute } from '../lib/execute';
import { Avatar } from './Avatar';
import { Icon } from './Icons';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export interface UserPickerProps {
  meId: string;
  /** Users that cannot be picked (already members). */
  exclude?: readonly string[];
  multiple?: boolean;
  selected: UserFieldsFragment[];
  onChange(users: UserFieldsFragment[]): void;
  /** Single mode: picking a user calls this. */
  onPick?(user: UserFieldsFragment): void;
  label?: string;
}

export function UserPicker({ meId, exclude = [], multiple, selected, onChange, onPick, label = 'Find people' }: UserPickerProps) {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 200);
  const inputId = useId();
  const results = useQuery({
    queryKey: ['searchUsers', q],
    queryFn: () => execute(SearchUsersDocument, { query: q, first: 20 }),
    enabled: q.length > 0,
  });
  const users = (results.data?.searchUsers ?? []).filter((u) => u.id !== meId && !exclude.includes(u.id));
  const pick = (u: UserFieldsFragment) => {
    if (!multiple) {
      onPick?.(u);
      return;
    }
    if (selected.some((s) => s.id === u.id)) onChange(selected.filter((s) => s.id !== u.id));
    else onChange([...selected, u]);
    setQuery('');
  };
  return (
    <div className="user-picker">
      <label htmlFor={inputId} className="field__label">
        {label}
      </label>
      {multiple && selected.length > 0 ? (
        <ul className="chips" aria-label="Selected people">
          {selected.map((u) => (
            <li key={u.id} className="chip">
              {u.nickname}
              <button type="button" aria-label={`Remove ${u.nickname}`} onClick={() => pick(u)}>
                <Icon name="close" size={16} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={inputId}
        className="input"
        type="search"
        placeholder="Type a nickname…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
      />
      {q ? (
        <ul className="user-picker__results" aria-label="Search results">
          {results.isFetching && users.length === 0 ? <li className="muted">Searching…</li> : null}
          {!results.isFetching && users.length === 0 ? <li className="muted">Nobody found</li> : null}
          {users.map((u) => {
            const isSelected = selected.some((s) => s.id === u.id);
            return (
              <li key={u.id}>
                <button
                  type="button"
                  className={`user-row${isSelected ? ' user-row--selected' : ''}`}
                  aria-pressed={multiple ? isSelected : undefined}
                  onClick={() => pick(u)}
                >
                  <Avatar id={u.id} name={u.nickname} url={u.avatarUrl} size={28} />
                  <span>{u.nickname}</span>
                  {isSelected ? <span className="user-row__check">✓</span> : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
