// The room integrations dialog's forms and labels: outgoing webhooks (URL and event kinds), slash commands,
// and how incoming hook URLs and delivery records are shown. The server checks everything again; this only
// spares a round trip and keeps the wording in one place.
import type { CreateOutgoingWebhookInput, RegisterSlashCommandInput } from '../gql/graphql';

export const EVENT_KINDS = [
  { kind: 'MESSAGE_ADDED', label: 'New messages' },
  { kind: 'MESSAGE_EDITED', label: 'Edited messages' },
  { kind: 'MESSAGE_DELETED', label: 'Deleted messages' },
  { kind: 'REACTION_CHANGED', label: 'Reactions' },
  { kind: 'MEMBER_JOINED', label: 'Members joining' },
  { kind: 'MEMBER_LEFT', label: 'Members leaving' },
  { kind: 'MENTION', label: 'Mentions only' },
] as const;

export type Built<T> = { ok: true; input: T } | { ok: false; error: string };

function httpUrl(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export interface OutgoingForm {
  url: string;
  events: ReadonlySet<string>;
}

export const emptyOutgoingForm = (): OutgoingForm => ({ url: '', events: new Set(['MESSAGE_ADDED']) });

export function buildOutgoingInput(roomId: string, form: OutgoingForm): Built<CreateOutgoingWebhookInput> {
  const url = httpUrl(form.url);
  if (!url) return { ok: false, error: 'Enter an absolute http(s) URL.' };
  const events = EVENT_KINDS.map((e) => e.kind).filter((k) => form.events.has(k));
  if (events.length === 0) return { ok: false, error: 'Choose at least one kind of event.' };
  return { ok: true, input: { roomId, url, events } };
}

export interface CommandForm {
  command: string;
  description: string;
  url: string;
  botId: string;
}

export const emptyCommandForm = (): CommandForm => ({ command: '', description: '', url: '', botId: '' });

export function buildCommandInput(roomId: string, form: CommandForm): Built<RegisterSlashCommandInput> {
  const command = form.command.trim().replace(/^\//, '').toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(command)) {
    return { ok: false, error: 'A command is 1 to 32 of a-z, 0-9, _ and -, starting with a letter or digit.' };
  }
  const url = httpUrl(form.url);
  if (!url) return { ok: false, error: 'Enter an absolute http(s) URL.' };
  if (!form.botId) return { ok: false, error: 'Choose the bot that answers (create one in Settings first).' };
  return { ok: true, input: { roomId, command, description: form.description.trim(), url, botId: form.botId } };
}

/** The full URL of an incoming hook from the path the server gives (relative to its address). */
export function hookUrl(path: string, origin: string): string {
  return /^https?:\/\//.test(path) ? path : new URL(path, origin).toString();
}

export interface DeliveryRecord {
  seq: number;
  kind: string;
  attempts: number;
  statusCode?: number | null;
  error?: string | null;
  deliveredAt?: string | null;
  nextAttemptAt?: string | null;
}

/** One line about a delivery: what, and how it went. */
export function deliveryLabel(d: DeliveryRecord): string {
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  const head = `#${d.seq} ${d.kind}`;
  if (d.deliveredAt) return `${head}: delivered (${d.statusCode ?? 'ok'}, ${attempts})`;
  const why = d.error ?? (d.statusCode ? `HTTP ${d.statusCode}` : 'failed');
  const next = d.nextAttemptAt ? `, next try ${new Date(d.nextAttemptAt).toLocaleTimeString()}` : ', given up';
  return `${head}: ${why} (${attempts}${next})`;
}
