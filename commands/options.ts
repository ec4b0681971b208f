// Slash command options that more than one command offers, defined once so they stay alike.
import type { SlashCommandSubcommandBuilder } from 'discord.js';

/** The `lecture` option (required unless told), answered by autocomplete over titles and ids. */
export function lectureOption(
  sub: SlashCommandSubcommandBuilder,
  required = true,
  description = 'Lecture title or id',
): SlashCommandSubcommandBuilder {
  return sub.addStringOption((option) =>
    option
      .setName('lecture')
      .setDescription(description)
      .setRequired(required)
      .setAutocomplete(true)
      .setMaxLength(100),
  );
}
