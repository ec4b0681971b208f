import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  formatDiscordTimestamp,
  nextOccurrence,
  parseStartTime,
  reminderTime,
  validateEventOptions,
} from '../../src/events/schedule.js';
import type { RepeatRule } from '../../src/events/schedule.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function parsed(input: string, timezone?: string): { at: string; zone: string } {
  const result = parseStartTime(input, NOW, timezone);
  if (!result.ok) throw new Error(`expected ${input} to parse, got: ${result.error}`);
  return { at: result.at.toISOString(), zone: result.zone };
}

function refused(input: string, timezone?: string): string {
  const result = parseStartTime(input, NOW, timezone);
  if (result.ok) throw new Error(`expected ${input} to be refused, got ${result.at.toISOString()}`);
  return result.error;
}

describe('parseStartTime: relative times', () => {
  it.each([
    ['in 10m', 10 * MINUTE],
    ['in 2h', 2 * HOUR],
    ['in 1h30m', 90 * MINUTE],
    ['in 1h 30m', 90 * MINUTE],
    ['in 3d', 72 * HOUR],
    ['in 1w', 7 * 24 * HOUR],
    ['IN 45 Minutes', 45 * MINUTE],
    ['in 2 hours and 15 minutes', 135 * MINUTE],
    ['  in 5 min  ', 5 * MINUTE],
    ['10m', 10 * MINUTE],
  ])('%s starts %i ms from now, in UTC', (input, offset) => {
    expect(parsed(input)).toEqual({ at: new Date(NOW.getTime() + offset).toISOString(), zone: 'UTC' });
  });

  it('GIVEN a timezone option THEN repeats follow that zone', () => {
    expect(parsed('in 2h', 'Europe/Berlin')).toEqual({
      at: '2026-03-20T14:00:00.000Z',
      zone: 'Europe/Berlin',
    });
  });
});

describe('parseStartTime: absolute times', () => {
  it.each([
    ['2026-12-01T18:00+01:00', undefined, '2026-12-01T17:00:00.000Z', 'UTC+1'],
    ['2026-12-01T18:00Z', undefined, '2026-12-01T18:00:00.000Z', 'UTC'],
    ['2026-12-01t18:00z', undefined, '2026-12-01T18:00:00.000Z', 'UTC'],
    ['2026-12-01T18:00:30-05:00', undefined, '2026-12-01T23:00:30.000Z', 'UTC-5'],
    ['2026-12-01T18:00+0530', undefined, '2026-12-01T12:30:00.000Z', 'UTC+5:30'],
    ['2026-12-01 18:00Z', undefined, '2026-12-01T18:00:00.000Z', 'UTC'],
    ['2026-12-01T18:00 Europe/Berlin', undefined, '2026-12-01T17:00:00.000Z', 'Europe/Berlin'],
    ['2026-07-01T18:00 Europe/Berlin', undefined, '2026-07-01T16:00:00.000Z', 'Europe/Berlin'],
    ['2026-07-01T18:00 America/New_York', undefined, '2026-07-01T22:00:00.000Z', 'America/New_York'],
    ['2026-12-01 18:00', 'Europe/Berlin', '2026-12-01T17:00:00.000Z', 'Europe/Berlin'],
    ['2026-12-01 9:05', 'Asia/Tokyo', '2026-12-01T00:05:00.000Z', 'Asia/Tokyo'],
    ['2026-12-01T18:00 Europe/Berlin', 'Europe/Berlin', '2026-12-01T17:00:00.000Z', 'Europe/Berlin'],
    // An offset fixes the instant; the timezone option still decides how repeats roll.
    ['2026-12-01T18:00+01:00', 'Europe/Berlin', '2026-12-01T17:00:00.000Z', 'Europe/Berlin'],
  ])('%s (timezone %s) is %s, repeating in %s', (input, timezone, at, zone) => {
    expect(parsed(input, timezone)).toEqual({ at, zone });
  });

  it('GIVEN a zone in another case or an alias THEN it is accepted and spelled properly', () => {
    expect(parsed('2026-12-01 18:00 europe/berlin').zone).toBe('Europe/Berlin');
    expect(parsed('2026-12-01T18:00 Zulu').at).toBe('2026-12-01T18:00:00.000Z');
    expect(parsed('2026-12-01T18:00 US/Eastern', 'America/New_York').at).toBe('2026-12-01T23:00:00.000Z');
  });

  it('GIVEN a local time that happens twice (clocks go back) THEN the first one is used', () => {
    expect(parsed('2026-10-25 02:30 Europe/Berlin').at).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('parseStartTime: refusals', () => {
  it.each([
    ['tomorrow at six', /can't read/],
    ['', /can't read/],
    ['in 10 parsecs', /can't read/],
    ['2026-12-01', /can't read/],
    ['18:00', /can't read/],
    ['2026-13-01T18:00Z', /not a real date/],
    ['2026-02-30T18:00Z', /not a real date/],
    ['2026-12-01T25:00Z', /not a real date/],
    ['2026-12-01T18:00 Mars/Olympus_Mons', /not a time zone/],
    ['2026-12-01 18:00', /has no time zone/],
    ['2026-12-01T18:00 Zz/Top', /not a time zone/],
    [`in ${'1m '.repeat(60)}`, /can't read/],
  ])('%s is refused (%s)', (input, message) => {
    expect(refused(input)).toMatch(message);
  });

  it('GIVEN an unknown format THEN the message shows examples', () => {
    expect(refused('next friday')).toContain('in 1h30m');
  });

  it('GIVEN an unknown timezone option THEN it is named', () => {
    expect(refused('in 10m', 'Nowhere/Land')).toMatch(/`Nowhere\/Land` is not a time zone/);
  });

  it('GIVEN a zone in the text and a different timezone option THEN it asks for one', () => {
    expect(refused('2026-12-01T18:00 Europe/Berlin', 'America/New_York')).toMatch(/Give only one/);
  });

  it.each([
    'in 0m',
    '2026-03-20T11:59Z',
    '2026-03-20T12:00Z',
    '2025-12-01T18:00Z',
    '2026-03-20 13:00 Europe/Berlin',
  ])('GIVEN %s THEN it is in the past', (input) => {
    expect(refused(input)).toMatch(/in the past/);
  });

  it.each(['in 400d', 'in 60w', '2027-03-22T12:00Z'])('GIVEN %s THEN it is too far ahead', (input) => {
    expect(refused(input)).toMatch(/more than a year ahead/);
  });

  it('GIVEN weeks ahead THEN it is fine', () => {
    expect(parsed('in 365d').at).toBe('2027-03-20T12:00:00.000Z');
    expect(parsed('2026-09-01T18:00 Europe/Berlin').at).toBe('2026-09-01T16:00:00.000Z');
  });

  it('GIVEN a local time skipped by spring forward THEN it says so', () => {
    expect(refused('2026-03-29 02:30', 'Europe/Berlin')).toMatch(/does not exist in Europe\/Berlin/);
    expect(refused('2026-03-08 02:15 America/New_York')).toMatch(/does not exist/);
  });
});

/** The local wall-clock time of each instant, to show DST never moves it. */
function local(date: Date | null, zone: string): string {
  if (date === null) return 'none';
  return DateTime.fromJSDate(date, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');
}

function next(previous: string, repeat: RepeatRule, zone: string, anchor?: string): Date | null {
  return nextOccurrence(
    new Date(previous),
    repeat,
    zone,
    anchor === undefined ? undefined : new Date(anchor),
  );
}

describe('nextOccurrence', () => {
  it('GIVEN repeat none THEN there is no next occurrence', () => {
    expect(next('2026-03-28T17:00:00Z', 'none', 'Europe/Berlin')).toBeNull();
  });

  it.each([
    // Europe/Berlin springs forward on the last Sunday of March and falls back on the last of October.
    [
      'daily 18:00 Berlin into summer time',
      '2026-03-28T17:00:00Z',
      'daily',
      'Europe/Berlin',
      'Sun 2026-03-29 18:00 +02:00',
      '2026-03-29T16:00:00.000Z',
    ],
    [
      'daily 18:00 Berlin the day after',
      '2026-03-29T16:00:00Z',
      'daily',
      'Europe/Berlin',
      'Mon 2026-03-30 18:00 +02:00',
      '2026-03-30T16:00:00.000Z',
    ],
    [
      'daily 18:00 Berlin into winter time',
      '2026-10-24T16:00:00Z',
      'daily',
      'Europe/Berlin',
      'Sun 2026-10-25 18:00 +01:00',
      '2026-10-25T17:00:00.000Z',
    ],
    [
      'daily 09:00 New York into summer time',
      '2026-03-07T14:00:00Z',
      'daily',
      'America/New_York',
      'Sun 2026-03-08 09:00 -04:00',
      '2026-03-08T13:00:00.000Z',
    ],
    [
      'daily 09:00 New York into winter time',
      '2026-10-31T13:00:00Z',
      'daily',
      'America/New_York',
      'Sun 2026-11-01 09:00 -05:00',
      '2026-11-01T14:00:00.000Z',
    ],
    [
      'weekly Sunday 18:00 Berlin into summer time',
      '2026-03-22T17:00:00Z',
      'weekly',
      'Europe/Berlin',
      'Sun 2026-03-29 18:00 +02:00',
      '2026-03-29T16:00:00.000Z',
    ],
    [
      'weekly Sunday 18:00 Berlin into winter time',
      '2026-10-18T16:00:00Z',
      'weekly',
      'Europe/Berlin',
      'Sun 2026-10-25 18:00 +01:00',
      '2026-10-25T17:00:00.000Z',
    ],
    [
      'weekly Friday 19:30 New York into winter time',
      '2026-10-30T23:30:00Z',
      'weekly',
      'America/New_York',
      'Fri 2026-11-06 19:30 -05:00',
      '2026-11-07T00:30:00.000Z',
    ],
    [
      'daily in UTC',
      '2026-03-28T17:00:00Z',
      'daily',
      'UTC',
      'Sun 2026-03-29 17:00 +00:00',
      '2026-03-29T17:00:00.000Z',
    ],
    [
      'a fixed offset ignores DST',
      '2026-03-28T17:00:00Z',
      'daily',
      'UTC+1',
      'Sun 2026-03-29 18:00 +01:00',
      '2026-03-29T17:00:00.000Z',
    ],
  ] as const)('%s', (_name, previous, repeat, zone, wallClock, instant) => {
    const result = next(previous, repeat, zone);
    expect(local(result, zone)).toBe(wallClock);
    expect(result?.toISOString()).toBe(instant);
  });

  it('GIVEN a daily 02:30 Berlin event THEN the spring-forward day runs at 03:30 and the next day is back at 02:30', () => {
    const anchor = '2026-03-27T01:30:00Z';
    const gapDay = next('2026-03-28T01:30:00Z', 'daily', 'Europe/Berlin', anchor);
    expect(local(gapDay, 'Europe/Berlin')).toBe('Sun 2026-03-29 03:30 +02:00');
    const after = next(gapDay!.toISOString(), 'daily', 'Europe/Berlin', anchor);
    expect(local(after, 'Europe/Berlin')).toBe('Mon 2026-03-30 02:30 +02:00');
  });

  it('GIVEN a daily 02:30 Berlin event THEN the fall-back day uses the first 02:30', () => {
    const fallBack = next('2026-10-24T00:30:00Z', 'daily', 'Europe/Berlin');
    expect(fallBack?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(local(fallBack, 'Europe/Berlin')).toBe('Sun 2026-10-25 02:30 +02:00');
    const after = next(fallBack!.toISOString(), 'daily', 'Europe/Berlin');
    expect(local(after, 'Europe/Berlin')).toBe('Mon 2026-10-26 02:30 +01:00');
  });

  it('GIVEN missed occurrences (downtime) THEN the next one after the given time is returned', () => {
    const anchor = '2026-03-28T17:00:00Z';
    expect(local(next('2026-04-02T09:00:00Z', 'daily', 'Europe/Berlin', anchor), 'Europe/Berlin')).toBe(
      'Thu 2026-04-02 18:00 +02:00',
    );
    expect(local(next('2026-04-02T17:00:00Z', 'weekly', 'Europe/Berlin', anchor), 'Europe/Berlin')).toBe(
      'Sat 2026-04-04 18:00 +02:00',
    );
  });

  it('GIVEN a weekly event rolled forward for a year THEN it stays on Monday 18:00 local every week', () => {
    const zone = 'Europe/Berlin';
    const anchor = new Date('2026-01-05T17:00:00Z');
    let current: Date | null = anchor;
    const seen = new Set<string>();
    for (let week = 0; week < 60 && current !== null; week += 1) {
      current = nextOccurrence(current, 'weekly', zone, anchor);
      seen.add(DateTime.fromJSDate(current!, { zone }).toFormat('ccc HH:mm'));
    }
    expect([...seen]).toEqual(['Mon 18:00']);
    expect(current?.toISOString()).toBe('2027-03-01T17:00:00.000Z');
  });

  it('GIVEN a far-future previous time THEN it jumps straight there', () => {
    const result = next('2026-11-20T12:00:00Z', 'weekly', 'Europe/Berlin', '2026-01-05T17:00:00Z');
    expect(local(result, 'Europe/Berlin')).toBe('Mon 2026-11-23 18:00 +01:00');
  });
});

describe('reminderTime', () => {
  it.each([
    [10, '2026-12-01T17:50:00.000Z'],
    [60, '2026-12-01T17:00:00.000Z'],
    [0, null],
    [-5, null],
  ])('%i minutes before 18:00 is %s', (minutes, expected) => {
    expect(reminderTime(new Date('2026-12-01T18:00:00Z'), minutes)?.toISOString() ?? null).toBe(expected);
  });
});

describe('formatDiscordTimestamp', () => {
  it.each([
    ['F', '<t:1796148000:F>'],
    ['R', '<t:1796148000:R>'],
    [undefined, '<t:1796148000:f>'],
  ] as const)('style %s', (style, expected) => {
    expect(formatDiscordTimestamp(new Date('2026-12-01T18:00:00.999Z'), style)).toBe(expected);
  });

  it('accepts milliseconds', () => {
    expect(formatDiscordTimestamp(1_796_148_000_000, 'R')).toBe('<t:1796148000:R>');
  });
});

describe('validateEventOptions', () => {
  it('GIVEN nothing THEN the defaults', () => {
    expect(validateEventOptions({})).toEqual({
      ok: true,
      options: {
        secondsPerQuestion: 30,
        questionLimit: null,
        repeat: 'none',
        reminderMinutes: 10,
        introSeconds: 60,
      },
    });
  });

  it('GIVEN valid values THEN they are kept', () => {
    const result = validateEventOptions({
      seconds: 5,
      questions: 3,
      repeat: 'Weekly',
      availableQuestions: 3,
    });
    expect(result).toMatchObject({
      ok: true,
      options: { secondsPerQuestion: 5, questionLimit: 3, repeat: 'weekly' },
    });
  });

  it.each([
    [{ seconds: 4 }, /Seconds per question must be a whole number from 5 to 300 \(got 4\)/],
    [{ seconds: 301 }, /from 5 to 300/],
    [{ seconds: 7.5 }, /whole number/],
    [{ questions: 0 }, /Questions must be a whole number from 1/],
    [{ questions: 5, availableQuestions: 3 }, /Questions is 5 but that lecture has only 3/],
    [{ availableQuestions: 0 }, /no questions/],
    [{ repeat: 'monthly' }, /Repeat must be none, daily or weekly \(got monthly\)/],
    [{ reminderMinutes: -1 }, /Reminder minutes/],
  ])('GIVEN %o THEN it explains', (input, message) => {
    const result = validateEventOptions(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('GIVEN several problems THEN all are reported, one a line', () => {
    const result = validateEventOptions({ seconds: 1, repeat: 'hourly' });
    expect(result.ok ? [] : result.error.split('\n')).toHaveLength(2);
  });
});
