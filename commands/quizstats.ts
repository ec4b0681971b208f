// /quizstats: results for teachers, for a lecture or one run of a quiz event. Thin: reads the options
// and hands over to the stats feature (src/stats/discord/).
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { canManageServer } from '../src/discord/permissions.js';
import { eventChoices } from '../src/stats/discord/autocomplete.js';
import { showStats } from '../src/stats/discord/quizstats.js';

const data = new SlashCommandBuilder()
  .setName('quizstats')
  .setDescription('What the group gets right and wrong, per question (moderators)')
  .setContexts(InteractionContextType.Guild)
  // Hidden from members by default; checked again when run, since servers can change who sees it.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addStringOption((option) =>
    option
      .setName('lecture')
      .setDescription('Results for this lecture (every quiz and event on it)')
      .setAutocomplete(true)
      .setMaxLength(100),
  )
  .addStringOption((option) =>
    option
      .setName('event')
      .setDescription('Results for one quiz event (its id from /quizevent list)')
      .setAutocomplete(true)
      .setMaxLength(20),
  )
  .addIntegerOption((option) =>
    option
      .setName('occurrence')
      .setDescription('For a repeating event: which run (the latest when empty)')
      .setMinValue(1),
  )
  .addBooleanOption((option) =>
    option.setName('export').setDescription('Attach a CSV with every first answer (False when empty)'),
  );

export const quizStatsCommand = {
  data,
  async execute(interaction, ctx) {
    return showStats(interaction, ctx, {
      lecture: interaction.options.getString('lecture'),
      event: interaction.options.getString('event'),
      occurrence: interaction.options.getInteger('occurrence'),
      exportCsv: interaction.options.getBoolean('export') ?? false,
    });
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    // Members never see the command, and autocomplete must not list results to them either.
    if (guildId === null || !canManageServer(interaction)) return interaction.respond([]);
    switch (focused.name) {
      case 'lecture':
        return interaction.respond((await ctx.lectures.forAutocomplete(guildId)).autocomplete(focused.value));
      case 'event':
        return interaction.respond(await eventChoices(ctx, guildId, focused.value));
      default:
        return interaction.respond([]);
    }
  },
} satisfies Command;

export default quizStatsCommand;
