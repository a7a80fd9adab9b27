import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchPanel } from './SearchPanel';
import { GraphQLRequestError } from '../lib/execute';
import { useChat } from '../store/chat';
import type { Room, RoomMember } from '../store/merge';

const execute = vi.fn();
vi.mock('../lib/execute', async (original) => ({
  ...(await original<typeof import('../lib/execute')>()),
  execute: (...args: unknown[]) => execute(...args),
}));

const member = (id: string, nickname: string): RoomMember => ({
  role: 'MEMBER',
  joinedAt: '2026-01-01T00:00:00Z',
  seenAt: null,
  lastReadSeq: null,
  user: { id, nickname, isBot: false, avatarUrl: null, presence: { status: 'ONLINE', lastSeenAt: null } },
});

const room = (id: string, name: string): Room =>
  ({ id, name, isGroup: true, members: [member('me', 'me'), member('b', 'bob')], unreadCount: 0 }) as unknown as Room;

const hit = (id: string, roomId: string, content: string, highlights: { start: number; end: number }[], parentId: string | null = null) => ({
  message: {
    id,
    roomId,
    parentId,
    content,
    createdAt: '2026-01-31T10:00:00Z',
    editedAt: null,
    sender: { id: 'b', nickname: 'bob', avatarUrl: null },
    attachments: [],
  },
  room: { id: roomId, name: roomId === 'r1' ? 'general' : 'ops', isGroup: true },
  highlights,
});

function page(nodes: ReturnType<typeof hit>[], endCursor: string | null = null) {
  return {
    search: { edges: nodes.map((node) => ({ cursor: node.message.id, node })), pageInfo: { hasNextPage: !!endCursor, endCursor } },
  };
}

function Harness({ onClose = () => {} }: { onClose?: () => void }) {
  const [query, setQuery] = useState('');
  return <SearchPanel meId="me" query={query} onQueryChange={setQuery} onClose={onClose} />;
}

function setup(onClose?: () => void) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <Harness onClose={onClose} />
    </QueryClientProvider>,
  );
  return screen.getByRole('combobox', { name: 'Search messages' });
}

beforeEach(() => {
  execute.mockReset();
  useChat.getState().reset('me');
  useChat.setState({ rooms: { r1: room('r1', 'general'), r2: room('r2', 'ops') } });
});

describe('SearchPanel', () => {
  it('suggests operators, people and rooms, accepted with the keyboard', async () => {
    execute.mockResolvedValue({ searchUsers: [], ...page([]) });
    const box = setup();
    expect(screen.getByRole('option', { name: /from:@nickname/ })).toHaveAttribute('aria-selected', 'false');
    await userEvent.type(box, 'fr');
    await userEvent.keyboard('{Tab}');
    expect(box).toHaveValue('from:@');
    expect(screen.getByRole('option', { name: '@bob' })).toBeInTheDocument();
    await userEvent.keyboard('{Enter}');
    expect(box).toHaveValue('from:@bob ');
    await userEvent.type(box, 'in:o');
    await userEvent.keyboard('{Enter}');
    expect(box).toHaveValue('from:@bob in:#ops ');
    // Enter after a word that starts like an operator searches; arrows pick an operator.
    await userEvent.type(box, 'in');
    expect(screen.getByRole('option', { name: /in:#room/ })).toHaveAttribute('aria-selected', 'false');
    await userEvent.keyboard('{Enter}');
    expect(box).toHaveValue('from:@bob in:#ops in');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await userEvent.keyboard('{Backspace}{Backspace}ha{ArrowDown}{ArrowDown}{Enter}');
    expect(box).toHaveValue('from:@bob in:#ops has:link ');
    // Escape closes the suggestions, not the search.
    await userEvent.type(box, 'ha');
    expect(screen.getByRole('listbox', { hidden: true })).toBeVisible();
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveAttribute('aria-expanded', 'false');
  });

  it('shows hits grouped by room with <mark> highlights from UTF-16 offsets, never as markup', async () => {
    const text = '🚀 <b>배포</b>했습니다';
    const at = text.indexOf('배포');
    execute.mockImplementation(async (_doc: unknown, vars: { query?: string }) =>
      vars.query === '배포'
        ? page([
            hit('m1', 'r1', text, [{ start: at, end: at + 2 }]),
            hit('m2', 'r2', 'redeploy 배포', [{ start: 9, end: 11 }], 'root'),
            hit('m3', 'r1', '배포 done', [{ start: 0, end: 2 }]),
            hit('gone', 'r9', '배포 in a room I left', [{ start: 0, end: 2 }]),
          ])
        : { searchUsers: [] },
    );
    const box = setup();
    await userEvent.type(box, '배포{Enter}');
    const results = screen.getByRole('region', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('link')).toHaveLength(3));
    const groups = within(results).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(groups).toEqual(['# general', '# ops']);
    const first = within(results).getAllByRole('link')[0];
    expect(first.querySelector('mark')?.textContent).toBe('배포');
    expect(first.querySelector('b')).toBeNull();
    expect(first.textContent).toContain('<b>');
    expect(within(results).getByText('Thread reply')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('3 results');
    expect(within(results).queryByText(/room I left/)).toBeNull();
  });

  it('shows the server’s message for a bad operator inline', async () => {
    execute.mockImplementation(async (_doc: unknown, vars: { query?: string }) => {
      if (vars.query === 'before:yesterday')
        throw new GraphQLRequestError([
          { message: 'before: needs a date as YYYY-MM-DD, e.g. before:2026-01-31', extensions: { code: 'BAD_USER_INPUT', field: 'query' } },
        ]);
      return { searchUsers: [] };
    });
    const box = setup();
    await userEvent.type(box, 'before:yesterday');
    await userEvent.keyboard('{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('before: needs a date');
    expect(box).toHaveAttribute('aria-invalid', 'true');
  });

  it('pages with the last cursor as `after`, and sorts by recency on demand', async () => {
    execute.mockImplementation(async (_doc: unknown, vars: { query?: string; after?: string | null; sort?: string }) => {
      if (vars.query !== 'ship') return { searchUsers: [] };
      const tag = vars.sort === 'RECENT' ? 'new' : 'best';
      return vars.after === `${tag}-c1`
        ? page([hit(`${tag}-2`, 'r1', 'ship two', [{ start: 0, end: 4 }])])
        : page([hit(`${tag}-1`, 'r1', 'ship one', [{ start: 0, end: 4 }])], `${tag}-c1`);
    });
    const box = setup();
    await userEvent.type(box, 'ship{Enter}');
    const results = screen.getByRole('region', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('link')).toHaveLength(1));
    expect(screen.getByRole('status')).toHaveTextContent('1+ results');
    await userEvent.click(screen.getByRole('button', { name: 'More results' }));
    await waitFor(() => expect(within(results).getAllByRole('link').map((a) => a.dataset.messageId)).toEqual(['best-1', 'best-2']));
    expect(execute).toHaveBeenLastCalledWith(expect.anything(), { query: 'ship', first: 20, after: 'best-c1', sort: 'RELEVANCE' });
    await userEvent.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => expect(within(results).getAllByRole('link').map((a) => a.dataset.messageId)).toEqual(['new-1']));
    expect(screen.getByRole('button', { name: 'Newest' })).toHaveAttribute('aria-pressed', 'true');
  });
});
