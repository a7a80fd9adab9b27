// Slash commands in the composer: `/name args` runs the room's command `name` instead of being sent; `//…`
// sends `/…` as text; a `/` not followed by a command-looking word (`/ hi`, `/usr/bin`) is plain text.

/** A command name as the server accepts it: a-z, 0-9, `_` and `-`, starting with a letter or digit. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

export type Submission =
  | { kind: 'text'; content: string }
  | { kind: 'command'; command: string; args: string };

/** What sending `content` (already trimmed) does. */
export function parseSubmission(content: string): Submission {
  if (content.startsWith('//')) return { kind: 'text', content: content.slice(1) };
  if (!content.startsWith('/')) return { kind: 'text', content };
  const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(content);
  if (!match || !NAME.test(match[1])) return { kind: 'text', content };
  return { kind: 'command', command: match[1].toLowerCase(), args: (match[2] ?? '').trim() };
}

/** The command name being typed (what follows a leading `/` up to the caret, with no space yet), if any. */
export function findCommandQuery(text: string, caret: number): string | null {
  const before = text.slice(0, caret);
  const match = /^\/([a-z0-9_-]{0,32})$/i.exec(before);
  if (!match) return null;
  // The caret inside the name: only while nothing but the name follows it.
  if (/^\S/.test(text.slice(caret))) return null;
  return match[1].toLowerCase();
}

export interface CommandCandidate {
  command: string;
  description: string;
}

/** The room's commands starting with the query, by name. */
export function suggestCommands<T extends CommandCandidate>(commands: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLowerCase();
  return commands
    .filter((c) => c.command.startsWith(q))
    .sort((a, b) => a.command.localeCompare(b.command))
    .slice(0, limit);
}

/** The text after choosing `command`: `/command ` with what followed the typed name kept. */
export function applyCommand(text: string, caret: number, command: string) {
  const insert = `/${command} `;
  const rest = text.slice(caret).replace(/^\s+/, '');
  return { text: insert + rest, caret: insert.length };
}
