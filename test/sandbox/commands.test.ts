// The message box's commands come from the bot's own registration, and the options a member fills
// in are checked as Discord's client checks them.
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import {
  OptionError,
  autocompleteOptions,
  buildOptions,
  runnableCommands,
} from '../../src/sandbox/commands.js';
import type { OptionWorld } from '../../src/sandbox/commands.js';
import { SANDBOX_MEMBERS } from '../../src/sandbox/world.js';

const registered = commands.map((c) => c.data.toJSON());
const members = SANDBOX_MEMBERS.map((m) => ({ id: m.user.id, permissions: m.permissions }));
const [ada] = SANDBOX_MEMBERS;
const morgan = SANDBOX_MEMBERS.find((m) => m.moderator);
const runnable = runnableCommands(registered, members);
const command = (path: string) => {
  const found = runnable.find((c) => c.path.join(' ') === path);
  if (!found) throw new Error(`no ${path}`);
  return found;
};

const world: OptionWorld = {
  users: new Map([[ada!.user.id, { id: ada!.user.id, username: 'ada' }]]),
  members: new Map([[ada!.user.id, { roles: [] }]]),
  channels: new Map([
    ['310000000000000001', { id: '310000000000000001', type: 0, name: 'quiz' }],
    ['310000000000000003', { id: '310000000000000003', type: 2, name: 'voice' }],
  ]),
  roles: new Map(),
  attachments: new Map([['900', { id: '900', filename: 'a.md' }]]),
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof OptionError) return error.message;
    throw error;
  }
  return 'no refusal';
}

describe('runnableCommands', () => {
  it('GIVEN the bot registration THEN each subcommand is offered with its options, and the moderator commands only to the moderator', () => {
    expect(runnable.map((c) => c.path.join(' '))).toEqual([
      'quiz start',
      'quiz list',
      'quiz score',
      'quiz leaderboard',
      'quiz practice',
      'quiz review',
      'quiz progress',
      'quizevent schedule',
      'quizevent start',
      'quizevent list',
      'quizevent cancel',
      'lecture add',
      'lecture list',
      'lecture remove',
      'lecture download',
      'quizstats',
    ]);
    expect(command('quiz start').options).toEqual([
      expect.objectContaining({
        name: 'lecture',
        type: 3,
        required: true,
        autocomplete: true,
        maxLength: 100,
      }),
      expect.objectContaining({ name: 'set', type: 4, required: false, minValue: 1 }),
    ]);
    expect(command('quiz start').members).toHaveLength(SANDBOX_MEMBERS.length);
    expect(command('quizevent schedule').members).toEqual([morgan!.user.id]);
    // Manage Server by default: the moderator's, as Discord shows them.
    expect(command('lecture add').members).toEqual([morgan!.user.id]);
    expect(command('quizstats').options.find((o) => o.name === 'export')?.type).toBe(5);
    expect(command('quizevent schedule').options.find((o) => o.name === 'channel')?.channelTypes).toEqual([
      0, 5,
    ]);
  });
});

describe('buildOptions', () => {
  it('GIVEN filled options THEN they nest under the subcommand with typed values and resolved members', () => {
    const built = buildOptions(command('quiz score'), { user: ada!.user.id }, world);
    expect(built.options).toEqual([
      { type: 1, name: 'score', options: [{ type: 6, name: 'user', value: ada!.user.id }] },
    ]);
    expect(built.resolved).toEqual({
      users: { [ada!.user.id]: { id: ada!.user.id, username: 'ada' } },
      members: { [ada!.user.id]: { roles: [] } },
    });
    expect(buildOptions(command('quiz start'), { lecture: 'x', set: '2' }, world).options).toEqual([
      {
        type: 1,
        name: 'start',
        options: [
          { type: 3, name: 'lecture', value: 'x' },
          { type: 4, name: 'set', value: 2 },
        ],
      },
    ]);
  });

  it('GIVEN bad input THEN a sentence naming the option, and nothing is sent', () => {
    expect(refusal(() => buildOptions(command('quiz start'), {}, world))).toBe(
      'Fill in "lecture": it is required.',
    );
    expect(refusal(() => buildOptions(command('quiz start'), { lecture: 'x', set: '0' }, world))).toBe(
      '"set" must be at least 1.',
    );
    expect(refusal(() => buildOptions(command('quiz start'), { lecture: 'x', set: '1.5' }, world))).toBe(
      '"set" must be a whole number.',
    );
    expect(refusal(() => buildOptions(command('quiz start'), { lecture: 'x'.repeat(101) }, world))).toBe(
      '"lecture" takes at most 100 characters.',
    );
    expect(refusal(() => buildOptions(command('quiz score'), { user: '999999999999999999' }, world))).toBe(
      '"user": pick a member of this server.',
    );
    const schedule = command('quizevent schedule');
    const base = { lecture: 'x', start: 'in 1m' };
    expect(refusal(() => buildOptions(schedule, { ...base, repeat: 'hourly' }, world))).toBe(
      '"repeat" must be one of: none, daily, weekly.',
    );
    expect(refusal(() => buildOptions(schedule, { ...base, channel: '310000000000000003' }, world))).toBe(
      '"channel": that kind of channel cannot be picked here.',
    );
    expect(refusal(() => buildOptions(schedule, { ...base, sneaky: 'x' }, world))).toBe(
      '/quizevent schedule has no option "sneaky".',
    );
  });
});

describe('autocompleteOptions', () => {
  it('GIVEN a partly filled command THEN the typed option is sent as typed and marked focused', () => {
    expect(
      autocompleteOptions(command('quiz start'), { lecture: 'she', set: 'x' }, 'lecture', world),
    ).toEqual([
      { type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'she', focused: true }] },
    ]);
    expect(refusal(() => autocompleteOptions(command('quiz start'), {}, 'set', world))).toBe(
      '"set" has no suggestions.',
    );
  });
});
