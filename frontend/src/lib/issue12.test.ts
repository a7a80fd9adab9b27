// Logic behind the issue 12 fixes: the history window (stalled scroll, first unread), image boxes, toasts,
// refused files, typing signals.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { historyWindow, inWindow } from './queries';
import { fitBox } from './media';
import { refusal } from './upload';
import { addToast, type Toast } from '../store/chat';

const page = (seqs: number[], prev: boolean, next: boolean) => ({
  seqs,
  pageInfo: { hasPreviousPage: prev, hasNextPage: next },
});

describe('history window', () => {
  it('hides live messages older than the loaded pages, so the top edge stays reachable', () => {
    // 100 messages arrived live before the room was opened; the newest page holds 51..100.
    const span = historyWindow([page([51, 100], true, false)]);
    const all = Array.from({ length: 100 }, (_, i) => ({ seq: i + 1 }));
    const shown = inWindow(all, span);
    expect(shown[0].seq).toBe(51);
    expect(shown).toHaveLength(50);
    // The older page comes in above.
    const more = historyWindow([page([1, 50], false, true), page([51, 100], true, false)]);
    expect(inWindow(all, more)).toHaveLength(100);
  });

  it('around the first unread: nothing past the loaded pages, no unsent message, until the end is loaded', () => {
    const span = historyWindow([page([40, 60], true, true)]);
    const list = [{ seq: 39 }, { seq: 40 }, { seq: 60 }, { seq: 61 }, { seq: 0, local: { status: 'sending' } }];
    expect(inWindow(list, span).map((m) => m.seq)).toEqual([40, 60]);
    const end = historyWindow([page([40, 60], true, true), page([61], true, false)]);
    expect(inWindow(list, end).map((m) => m.seq)).toEqual([40, 60, 61, 0]);
    expect(end).toMatchObject({ atEnd: true, atStart: false });
  });

  it('an empty room is the whole history', () => {
    expect(historyWindow([page([], false, false)])).toEqual({ from: -Infinity, to: Infinity, atEnd: true, atStart: true, maxSeq: 0 });
  });
});

describe('image boxes', () => {
  it('fits the stored dimensions into 320×240 without scaling up', () => {
    expect(fitBox(1600, 1200)).toEqual({ width: 320, height: 240 });
    expect(fitBox(1000, 4000)).toEqual({ width: 60, height: 240 });
    expect(fitBox(100, 50)).toEqual({ width: 100, height: 50 });
    expect(fitBox(null, null)).toEqual({ width: 240, height: 180 });
  });
});

describe('toasts', () => {
  const now = 1_000;
  const push = (toasts: Toast[], roomId: string, kind: Toast['kind'] = 'message', activeRoomId: string | null = null, id = `${toasts.length}`) =>
    addToast(toasts, { kind, title: `${kind} in ${roomId}`, body: `body ${id}`, roomId }, { activeRoomId, now, id });

  it('groups by room with a count, keeps a mention a mention, none for the open room', () => {
    let toasts: Toast[] = [];
    toasts = push(toasts, 'r1');
    toasts = push(toasts, 'r1', 'mention', null, 'x');
    toasts = push(toasts, 'r1');
    toasts = push(toasts, 'r2');
    expect(toasts).toHaveLength(2);
    const r1 = toasts.find((t) => t.roomId === 'r1')!;
    expect(r1).toMatchObject({ count: 3, kind: 'mention', title: 'mention in r1' });
    expect(push(toasts, 'r3', 'message', 'r3')).toHaveLength(2);
  });
});

describe('refused files', () => {
  const types = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
  it('says why a file is not attached', () => {
    const uploads = { enabled: true, maxBytes: 100 * 1024 * 1024, maxImageBytes: 10 * 1024 * 1024, types };
    expect(refusal({ name: 'a.png', type: 'image/png', size: 10 }, uploads)).toBeNull();
    // Any type is sent: the server types it by content and serves it as a download.
    expect(refusal({ name: 'doc.pdf', type: 'application/pdf', size: 10 }, uploads)).toBeNull();
    expect(refusal({ name: 'v.svg', type: 'image/svg+xml', size: 10 }, uploads)).toBeNull();
    expect(refusal({ name: 'empty.txt', type: 'text/plain', size: 0 }, uploads)).toMatch(/empty/);
    expect(refusal({ name: 'big.png', type: 'image/png', size: 11 * 1024 * 1024 }, uploads)).toBe(
      'big.png is too large (images: 10 MB at most)',
    );
    expect(refusal({ name: 'big.zip', type: 'application/zip', size: 11 * 1024 * 1024 }, uploads)).toBeNull();
    expect(refusal({ name: 'a.png', type: 'image/png', size: 10 }, { ...uploads, enabled: false })).toMatch(/does not accept files/);
    expect(refusal({ name: 'a.png', type: 'image/png', size: 10 }, null)).toMatch(/does not accept files/);
  });

  it('follows the limits the server announces', () => {
    const uploads = { enabled: true, maxBytes: 500 * 1024, maxImageBytes: 500 * 1024, types: ['image/png'] };
    expect(refusal({ name: 'a.zip', type: 'application/zip', size: 600 * 1024 }, uploads)).toBe('a.zip is too large (500 KB at most)');
  });
});

describe('typing signals', () => {
  const calls: number[] = [];
  let absorb = false;
  beforeEach(() => {
    vi.useFakeTimers();
    calls.length = 0;
    absorb = false;
    vi.doMock('./execute', () => ({
      execute: () => {
        calls.push(Date.now());
        return Promise.resolve({ setTyping: !absorb });
      },
      errorMessage: String,
    }));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.doUnmock('./execute');
    vi.resetModules();
  });

  it('sends typing inside the throttle window once the window ends, and not after the message is sent', async () => {
    const { sendTyping, stopTyping } = await import('./actions');
    const start = Date.now();
    sendTyping('r');
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    sendTyping('r'); // throttled: a trailing signal is due
    sendTyping('r');
    await vi.advanceTimersByTimeAsync(2_500);
    expect(calls).toHaveLength(2);
    expect(calls[1] - start).toBeGreaterThanOrEqual(3_000);
    // Typing, then sending: the trailing signal is dropped.
    vi.advanceTimersByTime(500);
    sendTyping('r');
    stopTyping('r');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(2);
  });

  it('announces typing at once after a message was sent', async () => {
    const { sendTyping, stopTyping } = await import('./actions');
    sendTyping('s');
    vi.advanceTimersByTime(400);
    stopTyping('s', true);
    vi.advanceTimersByTime(200);
    sendTyping('s');
    expect(calls).toHaveLength(2);
    // Only emptying the composer keeps the window.
    vi.advanceTimersByTime(200);
    stopTyping('s');
    sendTyping('s');
    expect(calls).toHaveLength(2);
  });

  it('tries once more when the server absorbed the signal', async () => {
    const { sendTyping } = await import('./actions');
    absorb = true;
    sendTyping('q');
    await vi.advanceTimersByTimeAsync(10);
    absorb = false;
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toHaveLength(2);
  });
});

describe('quick switcher and tab title', () => {
  it('ranks prefix matches first, then word starts, then substrings; unread first without a query', async () => {
    const { rankSwitcher, tabTitle } = await import('./switcher');
    const item = (label: string, unread = 0) => ({ key: label, label, target: { roomId: label }, unread });
    const items = [item('# design-crew'), item('# crew', 2), item('screwdriver'), item('bob')];
    expect(rankSwitcher(items, 'crew').map((i) => i.label)).toEqual(['# crew', '# design-crew', 'screwdriver']);
    expect(rankSwitcher(items, '')[0].label).toBe('# crew');
    expect(rankSwitcher(items, 'zzz')).toEqual([]);
    expect(tabTitle([{ unreadCount: 3, muted: false }, { unreadCount: 5, muted: true }])).toBe('(3) Chorus');
    expect(tabTitle([{ unreadCount: 0, muted: false }])).toBe('Chorus');
  });
});
