import { describe, expect, it } from 'vitest';
import { buildTokenInput, emptyTokenForm, lastUsedLabel } from './tokenForm';

const now = new Date(2030, 0, 15, 12, 0, 0);

describe('buildTokenInput', () => {
  it('needs a name and at least one scope', () => {
    expect(buildTokenInput(emptyTokenForm(), now)).toEqual({ ok: false, error: 'Give the token a name.' });
    expect(buildTokenInput({ ...emptyTokenForm(), name: '  ci  ' }, now)).toEqual({
      ok: false,
      error: 'Choose at least one permission.',
    });
  });

  it('sends scopes in a stable order, the bot and no expiry when none is chosen', () => {
    const built = buildTokenInput(
      { name: ' ci ', scopes: new Set(['messages:write', 'messages:read']), botId: 'b1', expires: '' },
      now,
    );
    expect(built).toEqual({ ok: true, input: { name: 'ci', scopes: ['messages:read', 'messages:write'], botId: 'b1' } });
  });

  it('lets a token expire at the end of a future day only', () => {
    const base = { name: 'x', scopes: new Set(['rooms:read']), botId: '' };
    expect(buildTokenInput({ ...base, expires: '2030-01-14' }, now)).toEqual({ ok: false, error: 'The expiry date has passed.' });
    const built = buildTokenInput({ ...base, expires: '2030-01-15' }, now);
    expect(built.ok).toBe(true);
    if (built.ok) expect(new Date(built.input.expiresAt as string).getTime()).toBe(new Date(2030, 0, 15, 23, 59, 59).getTime());
  });
});

describe('lastUsedLabel', () => {
  it('says never, minutes or hours', () => {
    expect(lastUsedLabel(null, now)).toBe('never used');
    expect(lastUsedLabel(new Date(now.getTime() - 5 * 60_000).toISOString(), now)).toBe('used 5 min ago');
    expect(lastUsedLabel(new Date(now.getTime() - 3 * 3_600_000).toISOString(), now)).toBe('used 3 h ago');
  });
});
