import { describe, expect, it } from 'vitest';
import { badgedFaviconSvg, FAVICON, faviconHref, setFaviconBadge, shortCount, titleWithCount, unreadTotal } from './badge';

describe('unread total in the tab title and on the favicon', () => {
  it('sums unread messages, and only the mentions of muted rooms', () => {
    expect(
      unreadTotal([
        { unreadCount: 3, unreadMentionCount: 0, muted: false },
        { unreadCount: 40, unreadMentionCount: 2, muted: true },
        { unreadCount: 0, muted: false },
      ]),
    ).toBe(5);
    expect(unreadTotal([])).toBe(0);
  });

  it('titles the tab "(n) Chorus", plain at 0', () => {
    expect(titleWithCount(3)).toBe('(3) Chorus');
    expect(titleWithCount(0)).toBe('Chorus');
    expect(titleWithCount(1200)).toBe('(999+) Chorus');
  });

  it('badges the favicon with the count, 9+ past 9', () => {
    expect(shortCount(9, 9)).toBe('9');
    expect(shortCount(10, 9)).toBe('9+');
    expect(badgedFaviconSvg(4)).toContain('>4</text>');
    expect(badgedFaviconSvg(42)).toContain('>9+</text>');
    expect(faviconHref(0)).toBe(FAVICON);
    expect(decodeURIComponent(faviconHref(2))).toMatch(/^data:image\/svg\+xml,<svg.*>2<\/text><\/svg>$/);
  });

  it('restores the plain favicon at 0', () => {
    document.head.innerHTML = '<link rel="icon" type="image/svg+xml" href="/favicon.svg">';
    setFaviconBadge(7);
    const link = document.querySelector('link[rel="icon"]')!;
    expect(link.getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    expect(link.getAttribute('data-unread')).toBe('7');
    setFaviconBadge(0);
    expect(link.getAttribute('href')).toBe('/favicon.svg');
    expect(document.querySelectorAll('link[rel="icon"]')).toHaveLength(1);
  });
});
