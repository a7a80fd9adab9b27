import { describe, expect, it } from 'vitest';
import {
  applySuggestion,
  excerptParts,
  groupByRoom,
  highlightParts,
  OPERATOR_HELP,
  suggest,
  tokenAt,
  tokenize,
  type SuggestionContext,
} from './search';

/** Ranges as the server computes them (core/src/search/highlight.rs): UTF-16 offsets of each needle. */
function serverRanges(text: string, needle: string): { start: number; end: number }[] {
  const out = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
    out.push({ start: at, end: at + needle.length });
  return out;
}

const marked = (parts: { text: string; matched: boolean }[]) => parts.filter((p) => p.matched).map((p) => p.text);

describe('tokens', () => {
  it('splits words, phrases, exclusions and operators like the server', () => {
    const q = 'deploy "release notes" -staging from:@Alice in:"release team" -"old news"';
    expect(tokenize(q).map((t) => [t.text, t.negated, t.key ?? null, t.value ?? null])).toEqual([
      ['deploy', false, null, null],
      ['"release notes"', false, null, null],
      ['staging', true, null, null],
      ['from:@Alice', false, 'from', '@Alice'],
      ['in:"release team"', false, 'in', '"release team"'],
      ['"old news"', true, null, null],
    ]);
  });

  it('finds the token at the caret, an empty one after a space', () => {
    const q = 'deploy from:@al';
    expect(tokenAt(q, q.length)).toMatchObject({ start: 7, end: 15, key: 'from', value: '@al' });
    expect(tokenAt(q, 3)).toMatchObject({ text: 'deploy' });
    expect(tokenAt('deploy ', 7)).toMatchObject({ start: 7, end: 7, text: '' });
    // An unclosed quoted value runs to the end while it is typed.
    expect(tokenAt('in:"release te', 14)).toMatchObject({ key: 'in', value: '"release te' });
    // Operator keys are case-insensitive, unknown keys are text.
    expect(tokenAt('FROM:bo', 7).key).toBe('from');
    expect(tokenAt('10:30', 5).key).toBeUndefined();
  });
});

describe('suggestions', () => {
  const ctx: SuggestionContext = {
    people: [
      { id: 'u1', nickname: 'alice' },
      { id: 'u2', nickname: 'Albert' },
      { id: 'u3', nickname: 'bob' },
    ],
    rooms: [
      { id: 'r1', name: 'general', title: '# general' },
      { id: 'r2', name: 'release team', title: '# release team' },
      { id: 'r3', name: null, title: 'bob' },
    ],
    now: new Date(2026, 0, 31, 12),
  };
  const at = (q: string) => suggest(q, tokenAt(q, q.length), ctx);

  it('shows every operator for an empty query, nothing after a finished word', () => {
    expect(at('')).toEqual(OPERATOR_HELP);
    expect(at('deploy ')).toEqual([]);
  });

  it('completes operator keys', () => {
    expect(at('fr').map((s) => s.insert)).toEqual(['from:@']);
    expect(at('men').map((s) => s.insert)).toEqual(['mentions:me ', 'mentions:@']);
    expect(at('ha').map((s) => s.insert)).toEqual(['has:image ', 'has:link ']);
    expect(at('deploy').map((s) => s.insert)).toEqual([]);
  });

  it('suggests people for from: and mentions:, me first', () => {
    expect(at('from:@al').map((s) => s.insert)).toEqual(['from:@alice ', 'from:@Albert ']);
    expect(at('mentions:').map((s) => s.insert)).toEqual(['mentions:me ', 'mentions:@alice ', 'mentions:@Albert ', 'mentions:@bob ']);
    expect(at('from:@alice ')).toEqual([]);
  });

  it('suggests my rooms for in:, quoting names with spaces and using ids for direct conversations', () => {
    expect(at('in:#gen').map((s) => s.insert)).toEqual(['in:#general ']);
    expect(at('in:rel').map((s) => s.insert)).toEqual(['in:"release team" ']);
    expect(at('in:"release te').map((s) => s.insert)).toEqual(['in:"release team" ']);
    expect(at('in:bo')).toMatchObject([{ insert: 'in:r3 ', label: 'bob', detail: 'Direct message' }]);
  });

  it('suggests values for has:, is:, before: and after:', () => {
    expect(at('has:i').map((s) => s.insert)).toEqual(['has:image ']);
    expect(at('is:').map((s) => s.insert)).toEqual(['is:thread ']);
    expect(at('before:').map((s) => s.insert)).toEqual([
      'before:2026-01-31 ',
      'before:2026-01-30 ',
      'before:2026-01-24 ',
      'before:2026-01-01 ',
    ]);
    expect(at('after:2026-01-3').map((s) => s.insert)).toEqual(['after:2026-01-31 ', 'after:2026-01-30 ']);
  });

  it('replaces the token, keeping its minus sign and what follows', () => {
    const q = 'deploy -from:@al staging';
    const tok = tokenAt(q, 16);
    const [first] = suggest(q, tok, ctx);
    expect(applySuggestion(q, tok, first)).toEqual({ query: 'deploy -from:@alice staging', caret: 20 });
    const phrase = OPERATOR_HELP.find((s) => s.label === '"exact phrase"')!;
    expect(applySuggestion('', tokenAt('', 0), phrase)).toEqual({ query: '""', caret: 1 });
  });
});

describe('highlights', () => {
  it('renders ranges as matched parts', () => {
    const text = 'We deployed the redeploy';
    expect(highlightParts(text, [...serverRanges(text, 'deploy')])).toEqual([
      { text: 'We ', matched: false },
      { text: 'deploy', matched: true },
      { text: 'ed the re', matched: false },
      { text: 'deploy', matched: true },
    ]);
  });

  it('reads offsets as UTF-16 code units: CJK, Korean, emoji and accents', () => {
    const korean = '오늘 배포했습니다';
    expect(marked(highlightParts(korean, serverRanges(korean, '배포')))).toEqual(['배포']);
    const cjk = '今日は本番環境にデプロイしました';
    expect(marked(highlightParts(cjk, serverRanges(cjk, 'デプロイ')))).toEqual(['デプロイ']);
    // Emoji take two code units each: offsets after them are JavaScript indices, not code points or bytes.
    const emoji = '🚀🚀 ship it 🎉 done';
    expect(marked(highlightParts(emoji, serverRanges(emoji, 'ship')))).toEqual(['ship']);
    expect(marked(highlightParts(emoji, serverRanges(emoji, '🎉')))).toEqual(['🎉']);
    expect(marked(highlightParts(emoji, serverRanges(emoji, 'done')))).toEqual(['done']);
    const accents = 'Le DÉPLOIEMENT est fini';
    expect(marked(highlightParts(accents, [{ start: 3, end: 14 }]))).toEqual(['DÉPLOIEMENT']);
  });

  it('never splits a surrogate pair, clamps, sorts and merges ranges', () => {
    const text = 'a🚀b';
    // A range starting or ending inside the rocket's pair covers the whole rocket.
    expect(highlightParts(text, [{ start: 2, end: 3 }])).toEqual([
      { text: 'a', matched: false },
      { text: '🚀', matched: true },
      { text: 'b', matched: false },
    ]);
    expect(marked(highlightParts(text, [{ start: 0, end: 2 }]))).toEqual(['a🚀']);
    expect(highlightParts('abcdef', [{ start: 4, end: 99 }, { start: 0, end: 2 }, { start: 1, end: 3 }])).toEqual([
      { text: 'abc', matched: true },
      { text: 'd', matched: false },
      { text: 'ef', matched: true },
    ]);
    expect(highlightParts('abc', [{ start: 5, end: 2 }])).toEqual([{ text: 'abc', matched: false }]);
    expect(highlightParts('', [{ start: 0, end: 3 }])).toEqual([]);
  });

  it('cuts long texts around the first match, in whole characters', () => {
    const text = `${'🙂'.repeat(300)} needle ${'x'.repeat(300)}`;
    const parts = excerptParts(text, serverRanges(text, 'needle'), 100);
    expect(parts[0]).toEqual({ text: '…', matched: false });
    expect(parts[parts.length - 1]).toEqual({ text: '…', matched: false });
    expect(marked(parts)).toEqual(['needle']);
    const shown = parts.map((p) => p.text).join('');
    expect([...shown.slice(1, -1)]).toHaveLength(100);
    expect(shown).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])(?<![\uD800-\uDBFF][\uDC00-\uDFFF])/);
    expect(shown.startsWith('…🙂')).toBe(true);
    // Short texts come whole.
    expect(excerptParts('short needle', serverRanges('short needle', 'needle'))).toEqual([
      { text: 'short ', matched: false },
      { text: 'needle', matched: true },
    ]);
  });
});

describe('grouping', () => {
  it('groups hits by room in the order of each room best hit', () => {
    const hits = [
      { id: 'a', room: 'r1' },
      { id: 'b', room: 'r2' },
      { id: 'c', room: 'r1' },
      { id: 'd', room: 'r3' },
      { id: 'e', room: 'r2' },
    ];
    expect(groupByRoom(hits, (h) => h.room).map((g) => [g.roomId, g.hits.map((h) => h.id)])).toEqual([
      ['r1', ['a', 'c']],
      ['r2', ['b', 'e']],
      ['r3', ['d']],
    ]);
  });
});
