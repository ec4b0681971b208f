// Suggestions while a moderator types a /quizstats option: the server's lectures, and the events
// whose runs have results (newest first).
import type { Choice } from '../../quiz/catalog.js';
import { CHOICE_NAME_LIMIT, MAX_CHOICES, truncate } from '../../quiz/catalog.js';
import type { BotContext } from '../../discord/command.js';

export async function eventChoices(ctx: BotContext, guildId: string, typed: string): Promise<Choice[]> {
  const needle = typed.trim().toLowerCase();
  const catalog = await ctx.lectures.forAutocomplete(guildId);
  const seen = new Set<string>();
  const choices: Choice[] = [];
  for (const entry of await ctx.stats.recentOccurrences(guildId)) {
    if (seen.has(entry.eventId)) continue;
    seen.add(entry.eventId);
    const title = catalog.get(entry.lectureId)?.title ?? entry.lectureId;
    if (
      needle !== '' &&
      !entry.eventId.toLowerCase().includes(needle) &&
      !title.toLowerCase().includes(needle)
    )
      continue;
    // Choice names are plain text: Discord does not render <t:…> there, so show UTC.
    const when = new Date(entry.at).toISOString().slice(0, 16).replace('T', ' ');
    const name = `${entry.eventId} · run ${entry.occurrence} · ${when} UTC · ${title}`;
    choices.push({ name: truncate(name, CHOICE_NAME_LIMIT), value: entry.eventId });
    if (choices.length === MAX_CHOICES) break;
  }
  return choices;
}
