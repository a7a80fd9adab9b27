import { describe, expect, it } from 'vitest';
import { wantsDesktopNotification } from './notify';

const hidden = { meId: 'me', hidden: true };

describe('desktop notifications', () => {
  it('are for mentions and direct messages by others while the tab is hidden', () => {
    expect(wantsDesktopNotification({ kind: 'MENTION', isGroup: true, roomId: 'r', senderId: 'bob' }, hidden)).toBe(true);
    expect(wantsDesktopNotification({ kind: 'MESSAGE', isGroup: false, roomId: 'r', senderId: 'bob' }, hidden)).toBe(true);
    expect(wantsDesktopNotification({ kind: 'MESSAGE', isGroup: true, roomId: 'r', senderId: 'bob' }, hidden)).toBe(false);
  });

  it('never while the tab is visible, never for my own messages', () => {
    expect(
      wantsDesktopNotification({ kind: 'MENTION', isGroup: true, roomId: 'r', senderId: 'bob' }, { meId: 'me', hidden: false }),
    ).toBe(false);
    expect(wantsDesktopNotification({ kind: 'MESSAGE', isGroup: false, roomId: 'r', senderId: 'me' }, hidden)).toBe(false);
  });
});
