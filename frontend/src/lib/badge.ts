// The unread total outside the page: "(3) Chorus" in the tab title and a badge on the favicon, both from the
// same total as the sidebar's counts (muted rooms count only their mentions, which pierce a mute).

export interface UnreadRoom {
  unreadCount: number;
  unreadMentionCount?: number;
  muted: boolean;
}

export function unreadTotal(rooms: readonly UnreadRoom[]): number {
  return rooms.reduce((n, r) => n + (r.muted ? (r.unreadMentionCount ?? 0) : r.unreadCount), 0);
}

/** What a count reads as in little space: up to `max`, then `max+`. */
export function shortCount(n: number, max = 999): string {
  return n > max ? `${max}+` : String(n);
}

/** The tab title: the unread count in front of the name, none at 0. */
export function titleWithCount(total: number, base = 'Chorus'): string {
  return total > 0 ? `(${shortCount(total)}) ${base}` : base;
}

export const FAVICON = '/favicon.svg';

/** The favicon's own drawing (public/favicon.svg), so a badge can be added without fetching it. */
const MARK =
  '<rect width="64" height="64" rx="16" fill="#4f46e5"/><path d="M18 22a6 6 0 0 1 6-6h16a6 6 0 0 1 6 6v12a6 6 0 0 1-6 6H30l-8 7v-7h-2a2 2 0 0 1-2-2z" fill="#fff"/><circle cx="26" cy="28" r="2.5" fill="#4f46e5"/><circle cx="32" cy="28" r="2.5" fill="#4f46e5"/><circle cx="38" cy="28" r="2.5" fill="#4f46e5"/>';

/** The favicon with a red badge holding the count (9+ past 9: a tab icon is 16 px). */
export function badgedFaviconSvg(total: number): string {
  const label = shortCount(total, 9);
  const size = label.length > 1 ? 26 : 30;
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    MARK +
    '<circle cx="46" cy="18" r="18" fill="#dc2626" stroke="#fff" stroke-width="3"/>' +
    `<text x="46" y="18" text-anchor="middle" dominant-baseline="central" font-family="Arial,Helvetica,sans-serif" font-weight="700" font-size="${size}" fill="#fff">${label}</text>` +
    '</svg>'
  );
}

/** The favicon's address for `total` unread: the plain file at 0. */
export function faviconHref(total: number): string {
  return total > 0 ? `data:image/svg+xml,${encodeURIComponent(badgedFaviconSvg(total))}` : FAVICON;
}

/** Shows `total` on the page's favicon (restored at 0). */
export function setFaviconBadge(total: number, doc: Document = document): void {
  let link = doc.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (!link) {
    link = doc.createElement('link');
    link.rel = 'icon';
    link.type = 'image/svg+xml';
    doc.head.appendChild(link);
  }
  const href = faviconHref(total);
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
  link.dataset.unread = String(total);
}
