import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';
import type { RoomMember } from '../store/merge';

const sendMessage = vi.fn(async (..._args: unknown[]) => {});
const runSlashCommand = vi.fn(async (..._args: unknown[]) => {});
vi.mock('../lib/actions', () => ({
  sendMessage: (...args: unknown[]) => sendMessage(...args),
  runSlashCommand: (...args: unknown[]) => runSlashCommand(...args),
  sendTyping: vi.fn(),
  stopTyping: vi.fn(),
}));
const commands = [
  { id: 'c1', command: 'echo', description: 'Says it back' },
  { id: 'c2', command: 'deploy', description: 'Ships it' },
];
vi.mock('../lib/queries', () => ({
  useServerInfo: () => null,
  useSlashCommands: (_roomId: string, enabled: boolean) => (enabled ? commands : []),
}));

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

  it('suggests the slash commands of the room when / is typed, and completes one', async () => {
    const box = setup();
    await userEvent.type(box, '/');
    const menu = screen.getByRole('listbox', { name: 'Slash commands' });
    expect(menu.textContent).toContain('/deploy');
    expect(menu.textContent).toContain('Says it back');
    await userEvent.type(box, 'ec{Enter}');
    expect(box).toHaveValue('/echo ');
  });

  it('runs a command instead of sending it, and shows why it failed', async () => {
    sendMessage.mockClear();
    runSlashCommand.mockClear();
    const box = setup();
    await userEvent.type(box, '/echo hello there{Enter}');
    expect(runSlashCommand).toHaveBeenCalledWith('r1', 'echo', 'hello there');
    expect(sendMessage).not.toHaveBeenCalled();
    expect(box).toHaveValue('');

    runSlashCommand.mockRejectedValueOnce(new Error('there is no command /nope in this room'));
    await userEvent.type(box, '/nope x{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('/nope: there is no command /nope in this room');
    expect(box).toHaveValue('/nope x');
  });

  it('sends // as text with one slash', async () => {
    sendMessage.mockClear();
    runSlashCommand.mockClear();
    const box = setup();
    await userEvent.type(box, '//shrug{Enter}');
    expect(runSlashCommand).not.toHaveBeenCalled();
    expect(sendMessage).toHaveBeenCalledWith(expect.objectContaining({ content: '/shrug' }));
  });
});
