// The token form of the settings: what the user ticked and typed, turned into `createApiToken`'s input (or the
// reason it cannot be sent yet). The server checks everything again; this only spares a round trip.
import type { CreateApiTokenInput } from '../gql/graphql';

export const SCOPES = [
  { scope: 'messages:read', label: 'Read messages' },
  { scope: 'messages:write', label: 'Send, edit and delete messages' },
  { scope: 'rooms:read', label: 'List and read rooms' },
  { scope: 'rooms:write', label: 'Create, join and leave rooms, invite' },
  { scope: 'reactions:write', label: 'Add and remove reactions' },
  { scope: 'files:write', label: 'Upload images' },
  { scope: 'profile:write', label: 'Change profile and status' },
] as const;

export interface TokenForm {
  name: string;
  scopes: ReadonlySet<string>;
  /** '' for me, else one of my bots' ids. */
  botId: string;
  /** '' for never, else a date `YYYY-MM-DD` (the token works until the end of that day, local time). */
  expires: string;
}

export const emptyTokenForm = (): TokenForm => ({ name: '', scopes: new Set(), botId: '', expires: '' });

export type Built = { ok: true; input: CreateApiTokenInput } | { ok: false; error: string };

export function buildTokenInput(form: TokenForm, now: Date = new Date()): Built {
  const name = form.name.trim();
  if (!name) return { ok: false, error: 'Give the token a name.' };
  if (name.length > 64) return { ok: false, error: 'The name may have at most 64 characters.' };
  const scopes = SCOPES.map((s) => s.scope).filter((s) => form.scopes.has(s));
  if (scopes.length === 0) return { ok: false, error: 'Choose at least one permission.' };
  const input: CreateApiTokenInput = { name, scopes };
  if (form.botId) input.botId = form.botId;
  if (form.expires) {
    const [y, m, d] = form.expires.split('-').map(Number);
    if (!y || !m || !d) return { ok: false, error: 'The expiry date is not a date.' };
    const end = new Date(y, m - 1, d, 23, 59, 59);
    if (end.getTime() <= now.getTime()) return { ok: false, error: 'The expiry date has passed.' };
    input.expiresAt = end.toISOString();
  }
  return { ok: true, input };
}

/** "never", or how long ago, coarsely. */
export function lastUsedLabel(at: string | null | undefined, now: Date = new Date()): string {
  if (!at) return 'never used';
  const minutes = Math.floor((now.getTime() - new Date(at).getTime()) / 60_000);
  if (minutes < 1) return 'used just now';
  if (minutes < 60) return `used ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `used ${hours} h ago`;
  return `used ${new Date(at).toLocaleDateString()}`;
}
