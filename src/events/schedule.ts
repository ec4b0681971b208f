// Schedule maths for quiz events: reading a moderator's start time, rolling repeats forward in a
// time zone, and Discord's timestamp markup. Pure: the caller passes `now`.
import { createRequire } from 'node:module';
import type * as Luxon from 'luxon';
import type { Zone } from 'luxon';
import { cutToLength } from '../content/text-cut.js';

export type RepeatRule = 'none' | 'daily' | 'weekly';
export const REPEAT_RULES: readonly RepeatRule[] = ['none', 'daily', 'weekly'];

export type StartTimeResult = { ok: true; at: Date; zone: string } | { ok: false; error: string };

/** Start times further ahead than this are refused: a typo in the year should not park an event. */
export const MAX_SCHEDULE_AHEAD_DAYS = 366;

const require = createRequire(import.meta.url);
let luxonModule: typeof Luxon | undefined;

/**
 * luxon, loaded when a schedule is first read or rolled forward rather than with this module: about
 * 5 ms of every start, and a start with no quiz event to resume never needs it.
 */
function luxon(): typeof Luxon {
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- require() is untyped; this is the package the types describe
  luxonModule ??= require('luxon') as typeof Luxon;
  return luxonModule;
}

const FORMAT_EXAMPLES =
  'Try `in 10m`, `in 2h`, `in 1h30m`, `in 3d`, `2026-12-01T18:00+01:00`, `2026-12-01T18:00Z`, ' +
  '`2026-12-01T18:00 Europe/Berlin`, or `2026-12-01 18:00` with the timezone option.';

const MS_PER_UNIT = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
} as const;

const RELATIVE_UNIT: Record<string, keyof typeof MS_PER_UNIT> = {
  w: 'w',
  week: 'w',
  weeks: 'w',
  d: 'd',
  day: 'd',
  days: 'd',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
};

const RELATIVE = /^(?:in\s+)?((?:\d+\s*[a-z]+[\s,]*(?:and\s+)?)+)$/i;
const RELATIVE_PART = /(\d+)\s*([a-z]+)/gi;
const ABSOLUTE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z][\w+\-/]*)?$/i;

/** Discord limits option text to 100 characters; longer input is not a time (and bounds regex work). */
const MAX_INPUT_LENGTH = 100;

export function isValidZone(zone: string): boolean {
  return luxon().IANAZone.isValidZone(zone);
}

/** The zone as ICU spells it (`europe/berlin` → `Europe/Berlin`), unless ICU renames it (Kolkata → Calcutta). */
function zoneSpelling(zone: string): string {
  const resolved = resolvedZone(zone);
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function resolvedZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/**
 * Reads `in 1h30m`, an ISO date-time with `Z` or an offset, or a local date-time with an IANA zone
 * (after it, or from `timezone`). The returned zone is what repeats keep their wall-clock time in.
 */
export function parseStartTime(input: string, now: Date, timezone?: string): StartTimeResult {
  const text = input.trim();
  const optionText = timezone?.trim() || undefined;
  if (optionText !== undefined && !isValidZone(optionText)) {
    return { ok: false, error: unknownZone(optionText) };
  }
  const option = optionText === undefined ? undefined : zoneSpelling(optionText);
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, error: unknownFormat(cutToLength(text, 40) + '…') };

  const relative = parseRelative(text);
  if (relative !== null) {
    if (relative === 'invalid') return { ok: false, error: unknownFormat(text) };
    return checkWindow(new Date(now.getTime() + relative), now, option ?? 'UTC', text);
  }

  const match = ABSOLUTE.exec(text);
  if (!match) return { ok: false, error: unknownFormat(text) };
  const [, year, month, day, hour, minute, second, zonePart] = match;
  const parts = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
  };

  if (zonePart !== undefined && (zonePart.toUpperCase() === 'Z' || /^[+-]\d/.test(zonePart))) {
    const offset = zonePart.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zonePart);
    const dt = luxon().DateTime.fromISO(`${isoLocal(parts)}${offset}`, { setZone: true });
    if (!dt.isValid) return { ok: false, error: notARealDate(text) };
    // An explicit offset fixes the instant; repeats follow the timezone option when one was given.
    return checkWindow(dt.toJSDate(), now, option ?? dt.zoneName ?? 'UTC', text);
  }

  if (zonePart !== undefined && !isValidZone(zonePart)) return { ok: false, error: unknownZone(zonePart) };
  if (zonePart !== undefined && option !== undefined && !sameZone(zonePart, option)) {
    return {
      ok: false,
      error: `The start time names the zone ${zonePart} but the timezone option says ${option}. Give only one.`,
    };
  }
  const zone = zonePart === undefined ? option : zoneSpelling(zonePart);
  if (zone === undefined) {
    return {
      ok: false,
      error:
        `\`${text}\` has no time zone. Add one (\`${text}Z\`, \`${text}+01:00\` or \`${text} Europe/Berlin\`) ` +
        'or set the timezone option.',
    };
  }
  const resolved = resolveLocalTime(parts, zone);
  if (resolved === 'invalid') return { ok: false, error: notARealDate(text) };
  if (resolved.shifted) {
    return {
      ok: false,
      error: `${isoLocal(parts).replace('T', ' ')} does not exist in ${zone}: the clocks go forward then. Pick another time.`,
    };
  }
  return checkWindow(new Date(resolved.at), now, zone, text);
}

/**
 * The next start after `previous` for a repeating event, at the wall-clock time of `anchor` (the
 * series' first start) in `zone`, so DST changes never move the local time and never make it drift.
 * - A local time that does not exist that day (spring forward) moves forward by the gap: a daily
 *   02:30 Europe/Berlin event runs at 03:30 CEST on the last Sunday of March, 02:30 again the next day.
 * - A local time that happens twice (fall back) uses the first of the two instants.
 * Occurrences at or before `previous` are skipped, so passing "now" after downtime skips missed runs.
 */
export function nextOccurrence(
  previous: Date,
  repeat: RepeatRule,
  zone: string,
  anchor: Date = previous,
): Date | null {
  if (repeat === 'none') return null;
  const stepDays = repeat === 'daily' ? 1 : 7;
  const local = luxon().DateTime.fromJSDate(anchor, { zone });
  if (!local.isValid) return null;
  // The k-th occurrence after the anchor; occurrences only grow with k, so walk from an estimate.
  const occurrence = (k: number): number => {
    const day = local.plus({ days: k * stepDays });
    const wallClock = { hour: local.hour, minute: local.minute, second: local.second };
    const resolved = resolveLocalTime({ year: day.year, month: day.month, day: day.day, ...wallClock }, zone);
    return resolved === 'invalid' ? Number.NaN : resolved.at;
  };
  const after = previous.getTime();
  let k = Math.max(1, Math.floor((after - anchor.getTime()) / (stepDays * MS_PER_UNIT.d)));
  while (k > 1 && occurrence(k - 1) > after) k -= 1;
  for (let guard = 0; !(occurrence(k) > after); guard += 1) {
    if (guard > 1000 || Number.isNaN(occurrence(k))) return null;
    k += 1;
  }
  return new Date(occurrence(k));
}

/** When to post the "starting soon" reminder, or null when reminders are off. */
export function reminderTime(start: Date, minutesBefore: number): Date | null {
  if (!(minutesBefore > 0)) return null;
  return new Date(start.getTime() - minutesBefore * MS_PER_UNIT.m);
}

export type DiscordTimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';

/** `<t:unix:F>` renders in each reader's own time zone; `R` renders "in 2 hours". */
export function formatDiscordTimestamp(date: Date | number, style: DiscordTimestampStyle = 'f'): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

// ---- options ----

export const DEFAULT_SECONDS_PER_QUESTION = 30;
export const MIN_SECONDS_PER_QUESTION = 5;
export const MAX_SECONDS_PER_QUESTION = 300;
export const DEFAULT_REMINDER_MINUTES = 10;
export const MAX_REMINDER_MINUTES = 24 * 60;
export const DEFAULT_INTRO_SECONDS = 60;
export const MAX_INTRO_SECONDS = 30 * 60;

export interface EventOptionsInput {
  seconds?: number | null;
  /** How many questions to ask; all when absent. */
  questions?: number | null;
  repeat?: string | null;
  reminderMinutes?: number | null;
  /** Time to read the lecture between the intro and the first question. */
  introSeconds?: number | null;
  /** How many questions the chosen lecture or quiz has, when known: `questions` may not exceed it. */
  availableQuestions?: number;
}

export interface EventOptions {
  secondsPerQuestion: number;
  questionLimit: number | null;
  repeat: RepeatRule;
  reminderMinutes: number;
  introSeconds: number;
}

export type EventOptionsResult = { ok: true; options: EventOptions } | { ok: false; error: string };

/** Checks every option and reports all problems at once, one a line. */
export function validateEventOptions(input: EventOptionsInput): EventOptionsResult {
  const problems: string[] = [];
  const whole = (
    value: number | null | undefined,
    fallback: number,
    min: number,
    max: number,
    what: string,
  ): number => {
    if (value === null || value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${what} must be a whole number from ${min} to ${max} (got ${value}).`);
    }
    return value;
  };

  const secondsPerQuestion = whole(
    input.seconds,
    DEFAULT_SECONDS_PER_QUESTION,
    MIN_SECONDS_PER_QUESTION,
    MAX_SECONDS_PER_QUESTION,
    'Seconds per question',
  );
  const reminderMinutes = whole(
    input.reminderMinutes,
    DEFAULT_REMINDER_MINUTES,
    0,
    MAX_REMINDER_MINUTES,
    'Reminder minutes',
  );
  const introSeconds = whole(
    input.introSeconds,
    DEFAULT_INTRO_SECONDS,
    0,
    MAX_INTRO_SECONDS,
    'Intro seconds',
  );

  let questionLimit: number | null = null;
  const available = input.availableQuestions;
  if (available !== undefined && available < 1) problems.push('That lecture has no questions to ask.');
  if (input.questions !== null && input.questions !== undefined) {
    questionLimit = whole(input.questions, 0, 1, 100, 'Questions');
    if (
      available !== undefined &&
      available >= 1 &&
      Number.isInteger(questionLimit) &&
      questionLimit > available
    ) {
      problems.push(`Questions is ${questionLimit} but that lecture has only ${available}.`);
    }
  }

  const repeatText = (input.repeat ?? 'none').trim().toLowerCase();
  const repeat = REPEAT_RULES.find((rule) => rule === repeatText);
  if (repeat === undefined) problems.push(`Repeat must be none, daily or weekly (got ${input.repeat}).`);

  if (problems.length > 0 || repeat === undefined) return { ok: false, error: problems.join('\n') };
  return { ok: true, options: { secondsPerQuestion, questionLimit, repeat, reminderMinutes, introSeconds } };
}

// ---- helpers ----

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant of a wall-clock time in `zone`. Luxon alone is inconsistent about which instant it
 * picks when the time happens twice, so both candidate offsets are tried and the earlier one wins.
 * `shifted` says the time fell in a spring-forward gap and was moved forward by the gap.
 */
function resolveLocalTime(parts: LocalParts, zone: string): { at: number; shifted: boolean } | 'invalid' {
  const dt = luxon().DateTime.fromObject(parts, { zone });
  if (!dt.isValid) return 'invalid';
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const zoneObject: Zone = dt.zone;
  const offsets = new Set([
    zoneObject.offset(asUtc - 12 * MS_PER_UNIT.h),
    zoneObject.offset(asUtc),
    zoneObject.offset(asUtc + 12 * MS_PER_UNIT.h),
  ]);
  const exact = [...offsets]
    .map((offset) => asUtc - offset * MS_PER_UNIT.m)
    .filter((at) => sameWallClock(at, zone, parts))
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return { at: exact[0], shifted: false };
  return { at: dt.toMillis(), shifted: true };
}

function sameWallClock(at: number, zone: string, parts: LocalParts): boolean {
  const local = luxon().DateTime.fromMillis(at, { zone });
  return (
    local.year === parts.year &&
    local.month === parts.month &&
    local.day === parts.day &&
    local.hour === parts.hour &&
    local.minute === parts.minute &&
    local.second === parts.second
  );
}

function parseRelative(text: string): number | 'invalid' | null {
  const match = RELATIVE.exec(text);
  if (!match) return null;
  let total = 0;
  for (const [, amount, unitText] of (match[1] ?? '').matchAll(RELATIVE_PART)) {
    const unit = RELATIVE_UNIT[(unitText ?? '').toLowerCase()];
    if (unit === undefined) return 'invalid';
    total += Number(amount) * MS_PER_UNIT[unit];
  }
  return total;
}

function checkWindow(at: Date, now: Date, zone: string, text: string): StartTimeResult {
  if (Number.isNaN(at.getTime())) return { ok: false, error: notARealDate(text) };
  if (at.getTime() <= now.getTime()) {
    return {
      ok: false,
      error: `\`${text}\` is in the past (${formatDiscordTimestamp(at, 'f')}). Give a time in the future, such as \`in 10m\`.`,
    };
  }
  const limit = luxon().DateTime.fromJSDate(now).plus({ days: MAX_SCHEDULE_AHEAD_DAYS });
  if (at.getTime() > limit.toMillis()) {
    return {
      ok: false,
      error: `\`${text}\` is more than a year ahead. Schedule events at most a year in advance.`,
    };
  }
  return { ok: true, at, zone };
}

function normalizeOffset(offset: string): string {
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

function isoLocal(parts: LocalParts): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
}

function sameZone(a: string, b: string): boolean {
  return resolvedZone(a) === resolvedZone(b);
}

function unknownFormat(text: string): string {
  return `I can't read \`${text}\` as a start time. ${FORMAT_EXAMPLES}`;
}

function unknownZone(zone: string): string {
  return `\`${zone}\` is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
}

function notARealDate(text: string): string {
  return `\`${text}\` is not a real date and time (check the month, day and hour).`;
}
