// Discord's timestamp tags, <t:seconds:style>, as its client shows them: in the reader's own time
// zone and language. Pure (Intl only), shared by the page and its tests.
import type { TimestampStyle } from './markdown.js';

export interface TimeContext {
  /** epoch milliseconds, for the relative style */
  now: number;
  locale?: string;
  timeZone?: string;
}

const FORMATS: Record<Exclude<TimestampStyle, 'R'>, Intl.DateTimeFormatOptions> = {
  t: { hour: '2-digit', minute: '2-digit' },
  T: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  d: { day: '2-digit', month: '2-digit', year: 'numeric' },
  D: { day: 'numeric', month: 'long', year: 'numeric' },
  f: { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  F: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' },
};

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export function formatTimestamp(seconds: number, style: TimestampStyle, context: TimeContext): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  if (style === 'R') return relative(seconds * 1000 - context.now, context.locale);
  return new Intl.DateTimeFormat(context.locale, {
    ...FORMATS[style],
    ...(context.timeZone === undefined ? {} : { timeZone: context.timeZone }),
  }).format(date);
}

/** "in 5 minutes", "2 hours ago": the largest whole unit, as Discord words it. */
function relative(deltaMs: number, locale: string | undefined): string {
  const seconds = Math.round(deltaMs / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** The full date and time, for a tooltip. */
export function fullTimestamp(seconds: number, context: TimeContext): string {
  return formatTimestamp(seconds, 'F', context);
}
