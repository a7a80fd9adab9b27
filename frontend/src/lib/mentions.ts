// `@` mention autocomplete: find the token being typed, rank room members, and insert the choice.

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What follows the `@` up to the caret. */
  query: string;
}

const TOKEN = /(^|[\s(])@([A-Za-z0-9_.-]{0,32})$/;

/** The mention being typed at the caret, if any. */
export function findMentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = TOKEN.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2] };
}

export interface Candidate {
  id: string;
  nickname: string;
}

/** Members matching the query: prefix matches first, then substring matches, alphabetically; never me. */
export function suggestMentions<T extends Candidate>(members: readonly T[], query: string, meId: string, limit = 6): T[] {
  const q = query.toLowerCase();
  const scored: { m: T; rank: number }[] = [];
  for (const m of members) {
    if (m.id === meId) continue;
    const name = m.nickname.toLowerCase();
    const rank = name.startsWith(q) ? 0 : q && name.includes(q) ? 1 : -1;
    if (rank >= 0) scored.push({ m, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || a.m.nickname.localeCompare(b.m.nickname, undefined, { sensitivity: 'base' }));
  return scored.slice(0, limit).map((s) => s.m);
}

/** Replaces the typed `@query` with `@nickname ` and returns the new text and caret. */
export function applyMention(text: string, caret: number, query: MentionQuery, nickname: string) {
  const insert = `@${nickname} `;
  const after = text.slice(caret).replace(/^[A-Za-z0-9_.-]*/, '');
  const next = text.slice(0, query.start) + insert + after.replace(/^ /, '');
  return { text: next, caret: query.start + insert.length };
}

/** Splits message content into text and `@mention` parts for rendering. */
export function splitMentions(content: string, nicknames: readonly string[]): { text: string; mention: boolean }[] {
  if (nicknames.length === 0) return [{ text: content, mention: false }];
  const known = new Set(nicknames.map((n) => n.toLowerCase()));
  const parts: { text: string; mention: boolean }[] = [];
  const re = /@([A-Za-z0-9_.-]+)/g;
  let last = 0;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    const before = m.index === 0 ? '' : content[m.index - 1];
    if (!known.has(m[1].toLowerCase()) || (before && /[A-Za-z0-9_.-]/.test(before))) continue;
    if (m.index > last) parts.push({ text: content.slice(last, m.index), mention: false });
    parts.push({ text: m[0], mention: true });
    last = m.index + m[0].length;
  }
  if (last < content.length) parts.push({ text: content.slice(last), mention: false });
  return parts;
}

/**
 * Broadcast mentions: in a group room `@here` notifies the members connected now, `@everyone` and `@room`
 * every member. Only the room's owner and admins may use them (the server refuses a member's message).
 */
export type Broadcast = 'here' | 'everyone' | 'room';

export const BROADCASTS: readonly { nickname: Broadcast; hint: string }[] = [
  { nickname: 'here', hint: 'Notify everyone online' },
  { nickname: 'everyone', hint: 'Notify every member' },
  { nickname: 'room', hint: 'Notify every member' },
];

/** Above this many members, a broadcast mention asks for confirmation before it is sent. */
export const CONFIRM_BROADCAST_ABOVE = 10;

/** Whether a member with `role` may use broadcast mentions in a room. */
export function canBroadcast(role: string | null | undefined, isGroup: boolean): boolean {
  return isGroup && (role === 'OWNER' || role === 'ADMIN');
}

/** The first broadcast mention in `content`, matched like the server does (not glued to a word). */
export function broadcastIn(content: string): Broadcast | null {
  const re = /(^|[^\p{L}\p{N}_.@-])@(here|everyone|room)[._-]*(?![\p{L}\p{N}_.@-])/giu;
  const m = re.exec(content);
  return m ? (m[2].toLowerCase() as Broadcast) : null;
}

/**
 * What to ask before sending `content`, if anything: a broadcast in a group room of more than
 * {@link CONFIRM_BROADCAST_ABOVE} members.
 */
export function broadcastConfirmation(content: string, room: { isGroup: boolean; memberCount: number }): string | null {
  if (!room.isGroup || room.memberCount <= CONFIRM_BROADCAST_ABOVE) return null;
  const which = broadcastIn(content);
  if (!which) return null;
  return which === 'here'
    ? `@here will notify everyone online among the ${room.memberCount} members of this room. Send it?`
    : `@${which} will notify all ${room.memberCount} members of this room. Send it?`;
}

/** Broadcast options matching the typed query, for someone allowed to use them. */
export function suggestBroadcasts(query: string): { nickname: Broadcast; hint: string }[] {
  const q = query.toLowerCase();
  return BROADCASTS.filter((b) => b.nickname.startsWith(q));
}
