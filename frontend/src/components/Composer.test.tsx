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

const member = (id: string, nickname: string, role: RoomMember['role'] = 'MEMBER'): RoomMember => ({
  role,
  joinedAt: '2026-01-01T00:00:00Z',
  seenAt: null,
  lastReadSeq: null,
  user: { id, nickname, isBot: false, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } },
});

function setup(options: { role?: RoomMember['role']; others?: number; isGroup?: boolean } = {}) {
  const client = new QueryClient();
  const members = [member('me', 'me', options.role), member('b', 'bob'), member('c', 'bobby'), member('d', 'dana')];
  for (let i = 0; i < (options.others ?? 0); i++) members.push(member(`x${i}`, `extra${i}`));
  render(
    <QueryClientProvider client={client}>
      <Composer roomId="r1" meId="me" members={members} isGroup={options.isGroup ?? true} placeholder="Message # general" />
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

  it('offers @here, @everyone and @room to owners and admins only', async () => {
    const box = setup({ role: 'ADMIN' });
    await userEvent.type(box, 'hey @e');
    expect(screen.getByRole('option', { name: /everyone/ })).toBeInTheDocument();
    await userEvent.clear(box);
    await userEvent.type(box, '@h');
    await userEvent.keyboard('{Enter}');
    expect(box).toHaveValue('@here ');
  });

  it('does not offer them to members, nor in a direct room', async () => {
    const box = setup({ role: 'MEMBER' });
    await userEvent.type(box, 'hey @e');
    expect(screen.queryByRole('option', { name: /everyone/ })).toBeNull();
  });

  it('asks before a broadcast reaches more than 10 members, and sends only once confirmed', async () => {
    sendMessage.mockClear();
    const box = setup({ role: 'OWNER', others: 7 });
    await userEvent.type(box, '@everyone release at 5{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Notify the whole room?' });
    expect(dialog).toHaveTextContent('all 11 members');
    expect(sendMessage).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(box).toHaveValue('@everyone release at 5');
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send and notify' }));
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(sendMessage).toHaveBeenCalledWith({ roomId: 'r1', parentId: null, content: '@everyone release at 5', attachmentIds: [] });
    expect(box).toHaveValue('');
  });

  it('sends a broadcast to 10 members or fewer without asking', async () => {
    sendMessage.mockClear();
    const box = setup({ role: 'OWNER', others: 6 });
    await userEvent.type(box, '@here standup{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(sendMessage).toHaveBeenCalledTimes(1);
  });

  it("does not ask a member: the server refuses a member's broadcast and says why", async () => {
    sendMessage.mockClear();
    const box = setup({ role: 'MEMBER', others: 9 });
    await userEvent.type(box, '@everyone hi{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(sendMessage).toHaveBeenCalledTimes(1);
  });
});
