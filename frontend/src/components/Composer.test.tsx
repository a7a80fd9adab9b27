import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';
import type { RoomMember } from '../store/merge';

const sendMessage = vi.fn(async (..._args: unknown[]) => {});
vi.mock('../lib/actions', () => ({
  sendMessage: (...args: unknown[]) => sendMessage(...args),
  sendTyping: vi.fn(),
  stopTyping: vi.fn(),
}));
vi.mock('../lib/queries', () => ({ useServerInfo: () => null }));

const member = (id: string, nickname: string): RoomMember => ({
  role: 'MEMBER',
  joinedAt: '2026-01-01T00:00:00Z',
  seenAt: null,
  lastReadSeq: null,
  user: { id, nickname, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } },
});

function setup() {
  const client = new QueryClient();
  render(
    <QueryClientProvider client={client}>
      <Composer roomId="r1" meId="me" members={[member('me', 'me'), member('b', 'bob'), member('c', 'bobby'), member('d', 'dana')]} placeholder="Message # general" />
    </QueryClientProvider>,
  );
  return screen.getByRole('textbox', { name: 'Message # general' });
}

describe('Composer', () => {
  it('completes @mentions from the room members with the keyboard', async () => {
    const box = setup();
    await userEvent.type(box, 'hi @bo');
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.lastElementChild?.textContent)).toEqual(['bob', 'bobby']);
    expect(screen.getByRole('option', { name: 'bob' })).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(box).toHaveValue('hi @bobby ');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('sends on Enter, adds a line on Shift+Enter', async () => {
    sendMessage.mockClear();
    const box = setup();
    await userEvent.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box).toHaveValue('line one\nline two');
    await userEvent.keyboard('{Enter}');
    expect(sendMessage).toHaveBeenCalledWith({ roomId: 'r1', parentId: null, content: 'line one\nline two', attachmentIds: [] });
    expect(box).toHaveValue('');
  });
});
