// Slash command options that more than one command offers, defined once so they stay alike.
import type { SlashCommandSubcommandBuilder } from 'discord.js';

/** The required `lecture` option, answered by autocomplete over titles and ids. */
export function lectureOption(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub.addStringOption((option) =>
    option
      .setName('lecture')
      .setDescription('Lecture title or id')
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(100),
  );
}
