// Message search, the parts that are pure logic: which token the caret is in and what to suggest for it
// (operators, people, rooms, dates), highlighted parts of a hit's text from the server's ranges, and hits
// grouped by room. The query language is the server's (core/src/search/parse.rs): words, `"phrases"`,
// `-exclusions` and `key:value` operators; this file only helps to type it.

/** Operator names the server knows (typed before the `:`). */
export const OPERATORS = ['from', 'in', 'mentions', 'has', 'is', 'before', 'after'] as const;

/** The whitespace-separated piece of the query the caret is in (empty at a space or in an empty query). */
export interface QueryToken {
  /** UTF-16 offsets in the query; `end` exclusive. */
  start: number;
  end: number;
  /** The token as typed, without a leading `-`. */
  text: string;
  /** Typed with a leading `-` (exclude / negate). */
  negated: boolean;
  /** For `key:value` with a known operator key: the key (lower case) and the value as typed. */
  key?: (typeof OPERATORS)[number];
  value?: string;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Index of the closing `"` after `from`, or -1. */
function closingQuote(query: string, from: number): number {
  return query.indexOf('"', from);
}

/**
 * The tokens of a query, as the server splits them: a quoted phrase or quoted operator value runs to its
 * closing quote (while typing, to the end of the query when it has none yet).
 */
export function tokenize(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let i = 0;
  while (i < query.length) {
    if (isSpace(query[i])) {
      i += 1;
      continue;
    }
    const start = i;
    let negated = false;
    if (query[i] === '-' && i + 1 < query.length && !isSpace(query[i + 1])) {
      negated = true;
      i += 1;
    }
    const body = i;
    if (query[i] === '"') {
      const close = closingQuote(query, i + 1);
      i = close === -1 ? query.length : close + 1;
    } else {
      while (i < query.length && !isSpace(query[i])) i += 1;
      const word = query.slice(body, i);
      const colon = word.indexOf(':');
      const key = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
      // A quoted operator value may contain spaces: `in:"release team"`.
      if ((OPERATORS as readonly string[]).includes(key) && word[colon + 1] === '"') {
        const close = closingQuote(query, body + colon + 2);
        i = close === -1 ? query.length : close + 1;
      }
    }
    tokens.push(token(query, start, i, negated));
  }
  return tokens;
}

function token(query: string, start: number, end: number, negated: boolean): QueryToken {
  const text = query.slice(negated ? start + 1 : start, end);
  const colon = text.indexOf(':');
  const key = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  const t: QueryToken = { start, end, text, negated };
  if ((OPERATORS as readonly string[]).includes(key)) {
    t.key = key as QueryToken['key'];
    t.value = text.slice(colon + 1);
  }
  return t;
}

/** The token the caret is in or right after; an empty token at the caret when it follows a space. */
export function tokenAt(query: string, caret: number): QueryToken {
  for (const t of tokenize(query)) if (t.start < caret && caret <= t.end) return t;
  return { start: caret, end: caret, text: '', negated: false };
}

export interface Suggestion {
  key: string;
  /** What the list shows. */
  label: string;
  detail?: string;
  /** Replaces the token (its `-` is kept). Ends with a space when the token is complete. */
  insert: string;
  /** Where the caret goes inside `insert` (default: its end). */
  caret?: number;
}

export interface SuggestionPerson {
  id: string;
  nickname: string;
}

export interface SuggestionRoom {
  id: string;
  /** A group's name (`in:#name`); null for a direct conversation (`in:<id>`). */
  name: string | null;
  /** What the list shows: `# name`, or the other person's nickname. */
  title: string;
}

export interface SuggestionContext {
  people: readonly SuggestionPerson[];
  rooms: readonly SuggestionRoom[];
  /** For date suggestions. */
  now?: Date;
  limit?: number;
}

/** The operators, as the help list and the completions of a partly typed key show them. */
export const OPERATOR_HELP: readonly Suggestion[] = [
  { key: 'op:from', label: 'from:@nickname', detail: 'Sent by someone', insert: 'from:@' },
  { key: 'op:in', label: 'in:#room', detail: 'In one of your rooms', insert: 'in:#' },
  { key: 'op:mentions-me', label: 'mentions:me', detail: 'Mentioning you', insert: 'mentions:me ' },
  { key: 'op:mentions', label: 'mentions:@nickname', detail: 'Mentioning someone', insert: 'mentions:@' },
  { key: 'op:has-image', label: 'has:image', detail: 'With an image', insert: 'has:image ' },
  { key: 'op:has-link', label: 'has:link', detail: 'With a link', insert: 'has:link ' },
  { key: 'op:is-thread', label: 'is:thread', detail: 'Thread replies', insert: 'is:thread ' },
  { key: 'op:before', label: 'before:YYYY-MM-DD', detail: 'Sent before a day', insert: 'before:' },
  { key: 'op:after', label: 'after:YYYY-MM-DD', detail: 'Sent after a day', insert: 'after:' },
  { key: 'op:phrase', label: '"exact phrase"', detail: 'These words in this order', insert: '""', caret: 1 },
  { key: 'op:exclude', label: '-excluded', detail: 'Without this word', insert: '-' },
];

/** A local calendar day as the server reads dates (YYYY-MM-DD). */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function daysAgo(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Prefix matches first, then matches inside the text. */
function rankByName<T>(items: readonly T[], name: (item: T) => string, typed: string): T[] {
  const q = fold(typed);
  const prefix: T[] = [];
  const inside: T[] = [];
  for (const item of items) {
    const n = fold(name(item));
    if (n.startsWith(q)) prefix.push(item);
    else if (q && n.includes(q)) inside.push(item);
  }
  return [...prefix, ...inside];
}

/** How an `in:` value names a room: `#name`, `"name with spaces"`, or the id (direct conversations). */
export function roomOperand(room: Pick<SuggestionRoom, 'id' | 'name'>): string {
  if (room.name === null || room.name.includes('"') || room.name.trim() === '') return room.id;
  return /\s/.test(room.name) ? `"${room.name}"` : `#${room.name}`;
}

/** Suggestions for the token the caret is in (`query` is the whole query: an empty one shows the help). */
export function suggest(query: string, tok: QueryToken, ctx: SuggestionContext): Suggestion[] {
  const limit = ctx.limit ?? 8;
  const done = (s: Suggestion) => s.insert.trim().toLowerCase() !== tok.text.toLowerCase();
  if (!tok.text) return tok.negated || query.trim() ? [] : [...OPERATOR_HELP];
  if (tok.key === undefined) {
    if (tok.text.includes(':') || tok.text.startsWith('"')) return [];
    const typed = tok.text.toLowerCase();
    // `-` is already typed for a negated token; phrases and exclusions are not keys to complete.
    return OPERATOR_HELP.filter((s) => s.label !== '-excluded' && s.label !== '"exact phrase"' && s.label.startsWith(typed))
      .filter(done)
      .slice(0, limit);
  }
  const value = tok.value ?? '';
  let out: Suggestion[] = [];
  switch (tok.key) {
    case 'from':
    case 'mentions': {
      const typed = value.replace(/^@/, '');
      if (!value.startsWith('@') && 'me'.startsWith(typed.toLowerCase()))
        out.push({ key: `${tok.key}:me`, label: `${tok.key}:me`, detail: 'You', insert: `${tok.key}:me ` });
      const seen = new Set<string>();
      const people = ctx.people.filter((p) => !seen.has(p.id) && seen.add(p.id));
      for (const p of rankByName(people, (p) => p.nickname, typed))
        out.push({ key: `${tok.key}:${p.id}`, label: `@${p.nickname}`, insert: `${tok.key}:@${p.nickname} ` });
      break;
    }
    case 'in': {
      const typed = value.replace(/^[#"]/, '').replace(/"$/, '');
      for (const r of rankByName(ctx.rooms, (r) => r.name ?? r.title, typed))
        out.push({
          key: `in:${r.id}`,
          label: r.title,
          detail: r.name === null ? 'Direct message' : undefined,
          insert: `in:${roomOperand(r)} `,
        });
      break;
    }
    case 'has':
      for (const v of ['image', 'link'])
        if (v.startsWith(value.toLowerCase())) out.push({ key: `has:${v}`, label: `has:${v}`, insert: `has:${v} ` });
      break;
    case 'is':
      if ('thread'.startsWith(value.toLowerCase())) out.push({ key: 'is:thread', label: 'is:thread', insert: 'is:thread ' });
      break;
    case 'before':
    case 'after': {
      const now = ctx.now ?? new Date();
      const days: [number, string][] = [
        [0, 'Today'],
        [1, 'Yesterday'],
        [7, 'A week ago'],
        [30, 'Thirty days ago'],
      ];
      for (const [n, detail] of days) {
        const day = isoDay(daysAgo(now, n));
        if (day.startsWith(value)) out.push({ key: `${tok.key}:${day}`, label: `${tok.key}:${day}`, detail, insert: `${tok.key}:${day} ` });
      }
      break;
    }
  }
  out = out.filter(done);
  return out.slice(0, limit);
}

/** The query with the token replaced by a suggestion, and where the caret goes. */
export function applySuggestion(query: string, tok: QueryToken, s: Suggestion): { query: string; caret: number } {
  const before = query.slice(0, tok.start) + (tok.negated ? '-' : '');
  let after = query.slice(tok.end);
  if (s.insert.endsWith(' ') && /^\s/.test(after)) after = after.replace(/^\s/, '');
  return { query: before + s.insert + after, caret: before.length + (s.caret ?? s.insert.length) };
}

// ---------- highlights ----------

export interface TextRange {
  /** UTF-16 code units (JavaScript string indices), `end` exclusive: what the server sends. */
  start: number;
  end: number;
}

export interface TextPart {
  text: string;
  matched: boolean;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Moves an offset that falls between the halves of a surrogate pair back to the pair's start. */
function atCodePoint(text: string, offset: number): number {
  return offset > 0 && offset < text.length && isLowSurrogate(text.charCodeAt(offset)) ? offset - 1 : offset;
}

/**
 * `text` split into plain and matched parts from the server's ranges (UTF-16 offsets). Ranges are sorted,
 * clamped to the text, merged when they touch, and never split a character made of two code units.
 */
export function highlightParts(text: string, ranges: readonly TextRange[]): TextPart[] {
  const clean = ranges
    .map((r) => ({
      start: atCodePoint(text, Math.max(0, Math.min(r.start, text.length))),
      end: Math.min(text.length, Math.max(0, r.end)),
    }))
    .map((r) => ({ start: r.start, end: r.end < text.length && isLowSurrogate(text.charCodeAt(r.end)) ? r.end + 1 : r.end }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const parts: TextPart[] = [];
  const push = (t: string, matched: boolean) => {
    if (!t) return;
    const last = parts[parts.length - 1];
    if (last && last.matched === matched) last.text += t;
    else parts.push({ text: t, matched });
  };
  let at = 0;
  for (const r of clean) {
    const start = Math.max(r.start, at);
    if (r.end <= start) continue;
    push(text.slice(at, start), false);
    push(text.slice(start, r.end), true);
    at = r.end;
  }
  push(text.slice(at), false);
  return parts;
}

/** Characters of context kept before the first match when a long message is cut. */
const EXCERPT_BEFORE = 40;

/**
 * The highlighted parts of a window of at most `max` characters (code points) of `text` around its first
 * match; a cut is marked with `…`. Short texts come whole.
 */
export function excerptParts(text: string, ranges: readonly TextRange[], max = 200): TextPart[] {
  // UTF-16 offset of each code point, plus the end.
  const offsets: number[] = [];
  for (let i = 0; i < text.length; ) {
    offsets.push(i);
    i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  }
  const count = offsets.length;
  offsets.push(text.length);
  if (count <= max) return highlightParts(text, ranges);
  const first = ranges.length ? Math.min(...ranges.map((r) => r.start)) : 0;
  let firstCp = offsets.findIndex((o) => o >= first);
  if (firstCp < 0) firstCp = count;
  const startCp = Math.max(0, Math.min(firstCp - EXCERPT_BEFORE, count - max));
  const endCp = startCp + max;
  const from = offsets[startCp];
  const to = offsets[endCp];
  const shifted = ranges
    .map((r) => ({ start: Math.max(r.start, from) - from, end: Math.min(r.end, to) - from }))
    .filter((r) => r.end > r.start);
  const parts = highlightParts(text.slice(from, to), shifted);
  if (from > 0) parts.unshift({ text: '…', matched: false });
  if (to < text.length) parts.push({ text: '…', matched: false });
  return parts;
}

// ---------- results ----------

export interface RoomGroup<H> {
  roomId: string;
  hits: H[];
}

/** Hits grouped by room: rooms in the order of their best (first) hit, hits in the server's order. */
export function groupByRoom<H>(hits: readonly H[], roomOf: (hit: H) => string): RoomGroup<H>[] {
  const groups = new Map<string, RoomGroup<H>>();
  for (const hit of hits) {
    const roomId = roomOf(hit);
    let group = groups.get(roomId);
    if (!group) {
      group = { roomId, hits: [] };
      groups.set(roomId, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}

/** When a hit was sent: the time today, else the day (and year when not this year) and time. */
export function hitWhen(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  const day = d.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
  return `${day}, ${time}`;
}
