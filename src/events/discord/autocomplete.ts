// Suggestions while a moderator types a /quizevent option: lectures, time zones, event ids.
import { isValidZone } from '../schedule.js';
import type { Choice } from '../../quiz/catalog.js';
import { CHOICE_NAME_LIMIT, MAX_CHOICES, truncate } from '../../quiz/catalog.js';
import type { BotContext } from '../../discord/command.js';

/** Zones most study groups use; any other valid IANA name typed in full is offered too. */
export const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Kyiv',
  'Europe/Istanbul',
  'Africa/Lagos',
  'Africa/Cairo',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
] as const;

export function timezoneChoices(typed: string): Choice[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const matches: string[] = COMMON_ZONES.filter((zone) => zone.toLowerCase().includes(needle));
  if (needle !== '' && isValidZone(typed.trim()) && !matches.some((zone) => zone.toLowerCase() === needle)) {
    matches.unshift(typed.trim());
  }
  return matches.slice(0, MAX_CHOICES).map((zone) => ({ name: zone, value: zone }));
}

/** The guild's scheduled and running events whose id or lecture title contains what was typed. */
export async function eventIdChoices(ctx: BotContext, guildId: string, typed: string): Promise<Choice[]> {
  const needle = typed.trim().toLowerCase();
  const events = await ctx.events.store.listByGuild(guildId);
  const catalog = await ctx.lectures.forAutocomplete(guildId);
  return events
    .map((event) => {
      const title = catalog.get(event.lectureId)?.title ?? event.lectureId;
      // Choice names are plain text: Discord does not render <t:…> there, so show UTC.
      const when = new Date(event.startAt).toISOString().slice(0, 16).replace('T', ' ');
      const state = event.status === 'running' ? 'running' : `${when} UTC`;
      return { id: event.id, title, name: `${event.id} · ${state} · ${title}` };
    })
    .filter(
      (entry) =>
        needle === '' ||
        entry.id.toLowerCase().includes(needle) ||
        entry.title.toLowerCase().includes(needle),
    )
    .slice(0, MAX_CHOICES)
    .map((entry) => ({ name: truncate(entry.name, CHOICE_NAME_LIMIT), value: entry.id }));
}
