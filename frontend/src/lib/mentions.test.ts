import { describe, expect, it } from 'vitest';
import {
  applyMention,
  broadcastConfirmation,
  broadcastIn,
  canBroadcast,
  findMentionQuery,
  splitMentions,
  suggestBroadcasts,
  suggestMentions,
} from './mentions';

const members = [
  { id: '1', nickname: 'alice' },
  { id: '2', nickname: 'Bob' },
  { id: '3', nickname: 'bobby' },
  { id: '4', nickname: 'jacob' },
  { id: 'me', nickname: 'boris' },
];

describe('mention autocomplete', () => {
  it('finds the token being typed at the caret', () => {
    expect(findMentionQuery('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(findMentionQuery('mail me@bob', 11)).toBeNull();
    expect(findMentionQuery('hi @bo there', 12)).toBeNull();
    expect(findMentionQuery('hi @bo there', 6)).toEqual({ start: 3, query: 'bo' });
  });

  it('ranks prefix matches first, then substring matches, never me', () => {
    expect(suggestMentions(members, 'bo', 'me').map((m) => m.nickname)).toEqual(['Bob', 'bobby']);
    expect(suggestMentions(members, 'BOB', 'me').map((m) => m.nickname)).toEqual(['Bob', 'bobby']);
    expect(suggestMentions(members, 'ob', 'me').map((m) => m.nickname)).toEqual(['Bob', 'bobby', 'jacob']);
    expect(suggestMentions([...members, { id: '5', nickname: 'rob' }], 'b', 'me').map((m) => m.nickname)).toEqual([
      'Bob',
      'bobby',
      'jacob',
      'rob',
    ]);
    expect(suggestMentions(members, '', 'me')).toHaveLength(4);
    expect(suggestMentions(members, 'zzz', 'me')).toEqual([]);
  });

  it('inserts the nickname and puts the caret after it', () => {
    const text = 'hi @bo and more';
    const q = findMentionQuery(text, 6)!;
    expect(applyMention(text, 6, q, 'bobby')).toEqual({ text: 'hi @bobby and more', caret: 10 });
    expect(applyMention('@b', 2, findMentionQuery('@b', 2)!, 'Bob')).toEqual({ text: '@Bob ', caret: 5 });
  });

  it('highlights known members only', () => {
    expect(splitMentions('hey @bob and @nobody, mail x@bob', ['Bob'])).toEqual([
      { text: 'hey ', mention: false },
      { text: '@bob', mention: true },
      { text: ' and @nobody, mail x@bob', mention: false },
    ]);
  });
});

describe('broadcast mentions', () => {
  it('are found like the server finds them', () => {
    expect(broadcastIn('@here now')).toBe('here');
    expect(broadcastIn('ping @Everyone.')).toBe('everyone');
    expect(broadcastIn('(@room)')).toBe('room');
    expect(broadcastIn('everyone@example.com @heres @here.x x@here é@room')).toBeNull();
  });

  it('need a confirmation in a group room of more than 10 members', () => {
    expect(broadcastConfirmation('@here hi', { isGroup: true, memberCount: 10 })).toBeNull();
    expect(broadcastConfirmation('@here hi', { isGroup: true, memberCount: 11 })).toContain('everyone online');
    expect(broadcastConfirmation('@room hi', { isGroup: true, memberCount: 250 })).toBe(
      '@room will notify all 250 members of this room. Send it?',
    );
    expect(broadcastConfirmation('@everyone', { isGroup: false, memberCount: 50 })).toBeNull();
    expect(broadcastConfirmation('hello all', { isGroup: true, memberCount: 50 })).toBeNull();
  });

  it('are for owners and admins of group rooms', () => {
    expect(canBroadcast('OWNER', true)).toBe(true);
    expect(canBroadcast('ADMIN', true)).toBe(true);
    expect(canBroadcast('MEMBER', true)).toBe(false);
    expect(canBroadcast('OWNER', false)).toBe(false);
    expect(suggestBroadcasts('').map((b) => b.nickname)).toEqual(['here', 'everyone', 'room']);
    expect(suggestBroadcasts('R').map((b) => b.nickname)).toEqual(['room']);
  });
});
