import { describe, expect, it } from 'vitest';
import { buildCommandInput, buildOutgoingInput, deliveryLabel, hookUrl } from './webhookForm';

describe('buildOutgoingInput', () => {
  it('keeps an http(s) URL and the ticked kinds in a stable order', () => {
    expect(buildOutgoingInput('r1', { url: ' https://example.com/in ', events: new Set(['MENTION', 'MESSAGE_ADDED']) })).toEqual({
      ok: true,
      input: { roomId: 'r1', url: 'https://example.com/in', events: ['MESSAGE_ADDED', 'MENTION'] },
    });
  });

  it('refuses other URLs and no kinds', () => {
    expect(buildOutgoingInput('r1', { url: 'ftp://x', events: new Set(['MENTION']) }).ok).toBe(false);
    expect(buildOutgoingInput('r1', { url: 'example.com', events: new Set(['MENTION']) }).ok).toBe(false);
    expect(buildOutgoingInput('r1', { url: 'https://x.io', events: new Set() })).toEqual({
      ok: false,
      error: 'Choose at least one kind of event.',
    });
  });
});

describe('buildCommandInput', () => {
  it('normalizes the name as the server does', () => {
    expect(buildCommandInput('r1', { command: '/Deploy', description: ' Ship ', url: 'http://h.io/c', botId: 'b1' })).toEqual({
      ok: true,
      input: { roomId: 'r1', command: 'deploy', description: 'Ship', url: 'http://h.io/c', botId: 'b1' },
    });
  });

  it('refuses bad names, URLs and a missing bot', () => {
    expect(buildCommandInput('r1', { command: 'a b', description: '', url: 'http://h.io', botId: 'b' }).ok).toBe(false);
    expect(buildCommandInput('r1', { command: 'ok', description: '', url: 'nope', botId: 'b' }).ok).toBe(false);
    expect(buildCommandInput('r1', { command: 'ok', description: '', url: 'http://h.io', botId: '' }).ok).toBe(false);
  });
});

describe('hookUrl', () => {
  it('makes the path absolute on the server', () => {
    expect(hookUrl('/hooks/1/s', 'https://chat.example.com')).toBe('https://chat.example.com/hooks/1/s');
    expect(hookUrl('https://other/hooks/1/s', 'https://chat.example.com')).toBe('https://other/hooks/1/s');
  });
});

describe('deliveryLabel', () => {
  it('says how a delivery went', () => {
    expect(deliveryLabel({ seq: 4, kind: 'MENTION', attempts: 1, statusCode: 204, deliveredAt: '2026-01-01T00:00:00Z' })).toBe(
      '#4 MENTION: delivered (204, 1 attempt)',
    );
    expect(deliveryLabel({ seq: 5, kind: 'MESSAGE_ADDED', attempts: 3, statusCode: 500, error: 'HTTP 500' })).toBe(
      '#5 MESSAGE_ADDED: HTTP 500 (3 attempts, given up)',
    );
  });
});
