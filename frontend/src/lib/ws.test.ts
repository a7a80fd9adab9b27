import { describe, expect, it } from 'vitest';
import { backoffMs, wsUrl } from './ws';

describe('socket', () => {
  it('backs off exponentially, capped at 15 s, with jitter', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4_000);
    expect(backoffMs(20, () => 1)).toBe(15_000);
    expect(backoffMs(20, () => 0)).toBe(7_500);
  });

  it('derives the socket address from the page', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql/ws');
    expect(wsUrl({ protocol: 'https:', host: 'chat.example.com' })).toBe('wss://chat.example.com/graphql/ws');
  });
});
