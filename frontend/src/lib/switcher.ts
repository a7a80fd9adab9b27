// Ranking for the quick switcher (Ctrl/Cmd+K): rooms and people I share a room with, by how well the name matches.
import { titleWithCount, unreadTotal, type UnreadRoom } from './badge';

export interface SwitcherItem {
  key: string;
  label: string;
  /** A room to open, or a person to open a direct message with. */
  target: { roomId: string } | { userId: string };
  unread: number;
}

/** Items matching `query` (case-insensitive): prefix matches, then word-start, then substring; unread first. */
export function rankSwitcher(items: readonly SwitcherItem[], query: string, limit = 8): SwitcherItem[] {
  const q = query.trim().toLowerCase();
  const scored: { item: SwitcherItem; rank: number }[] = [];
  for (const item of items) {
    const name = item.label.toLowerCase().replace(/^# /, '');
    let rank: number;
    if (!q) rank = item.unread > 0 ? 0 : 1;
    else if (name.startsWith(q)) rank = 0;
    else if (name.split(/[\s._-]+/).some((w) => w.startsWith(q))) rank = 1;
    else if (name.includes(q)) rank = 2;
    else continue;
    scored.push({ item, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || b.item.unread - a.item.unread || a.item.label.localeCompare(b.item.label));
  return scored.slice(0, limit).map((s) => s.item);
}

/** The tab title: the unread total (see `badge.ts`) in front of the name. */
export function tabTitle(rooms: readonly UnreadRoom[], base = 'Chorus'): string {
  return titleWithCount(unreadTotal(rooms), base);
}
