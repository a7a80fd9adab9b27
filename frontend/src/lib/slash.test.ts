import { describe, expect, it } from 'vitest';
import { applyCommand, findCommandQuery, parseSubmission, suggestCommands } from './slash';

describe('parseSubmission', () => {
  it('runs a command with its args', () => {
    expect(parseSubmission('/Deploy web  --canary')).toEqual({ kind: 'command', command: 'deploy', args: 'web  --canary' });
    expect(parseSubmission('/echo')).toEqual({ kind: 'command', command: 'echo', args: '' });
    expect(parseSubmission('/echo\nsecond line')).toEqual({ kind: 'command', command: 'echo', args: 'second line' });
  });

  it('sends a double slash as text with one slash', () => {
    expect(parseSubmission('//shrug')).toEqual({ kind: 'text', content: '/shrug' });
  });

  it('sends text that does not start with a command-looking word', () => {
    for (const content of ['hello /echo', '/ hi', '/usr/bin is a path', '/-x', '/é']) {
      expect(parseSubmission(content)).toEqual({ kind: 'text', content });
    }
  });
});

describe('findCommandQuery', () => {
  it('is the name typed after a leading slash', () => {
    expect(findCommandQuery('/', 1)).toBe('');
    expect(findCommandQuery('/De', 3)).toBe('de');
  });

  it('is nothing once the name is finished or elsewhere', () => {
    expect(findCommandQuery('/echo hi', 8)).toBeNull();
    expect(findCommandQuery('hi /echo', 8)).toBeNull();
    expect(findCommandQuery('//', 2)).toBeNull();
    expect(findCommandQuery('/echo', 2)).toBeNull();
  });
});

describe('suggestCommands', () => {
  const commands = [
    { command: 'echo', description: 'Echo' },
    { command: 'deploy', description: 'Ship it' },
    { command: 'dice', description: 'Roll' },
  ];

  it('keeps the commands starting with the query, by name', () => {
    expect(suggestCommands(commands, '').map((c) => c.command)).toEqual(['deploy', 'dice', 'echo']);
    expect(suggestCommands(commands, 'D').map((c) => c.command)).toEqual(['deploy', 'dice']);
    expect(suggestCommands(commands, 'x')).toEqual([]);
  });
});

describe('applyCommand', () => {
  it('completes the name and puts the caret after a space', () => {
    expect(applyCommand('/de', 3, 'deploy')).toEqual({ text: '/deploy ', caret: 8 });
  });
});
