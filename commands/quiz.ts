// /quiz: start a lecture's quiz, list lectures, show a score or the leaderboard. Thin: reads the
// options and hands over to the quiz feature (src/quiz/discord/).
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { lectureOption } from './options.js';
import { MAX_LIST_SEARCH_LENGTH } from '../src/discord/custom-id.js';
import { requireGuildId } from '../src/discord/guild.js';
import { quizButtons } from '../src/quiz/discord/buttons.js';
import { startQuiz } from '../src/quiz/discord/start.js';
import { leaderboardView, lectureListView, scoreView } from '../src/quiz/discord/views.js';
import { respond } from '../src/discord/respond.js';

const data = new SlashCommandBuilder()
  .setName('quiz')
  .setDescription('Study quizzes from the lectures')
  // Scores are per server: the command is not offered in direct messages.
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    lectureOption(
      sub.setName('start').setDescription('Post a lecture and its questions in this channel'),
    ).addIntegerOption((option) =>
      option
        .setName('set')
        .setDescription('For quiz files: which quiz set to post (random when empty)')
        .setMinValue(1),
    ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('list')
      .setDescription('The lectures available')
      .addStringOption((option) =>
        option
          .setName('search')
          .setDescription('Words in the title or id')
          .setMaxLength(MAX_LIST_SEARCH_LENGTH),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('score')
      .setDescription('Points, accuracy, streaks and rank in this server')
      .addUserOption((option) => option.setName('user').setDescription('Whose score (yours when empty)')),
  )
  .addSubcommand((sub) => sub.setName('leaderboard').setDescription("This server's top players"));

export const quizCommand = {
  data,
  async execute(interaction, ctx) {
    switch (interaction.options.getSubcommand()) {
      case 'start':
        return startQuiz(
          interaction,
          ctx,
          interaction.options.getString('lecture', true),
          interaction.options.getInteger('set'),
        );
      case 'list':
        return respond(interaction, {
          ...lectureListView(
            ctx,
            requireGuildId(interaction),
            interaction.options.getString('search') ?? '',
            0,
          ),
          ephemeral: true,
        });
      case 'score': {
        const user = interaction.options.getUser('user') ?? interaction.user;
        return respond(interaction, await scoreView(ctx, requireGuildId(interaction), user.id));
      }
      case 'leaderboard':
        return respond(interaction, await leaderboardView(ctx, requireGuildId(interaction), 0));
      default:
        throw new Error(`unknown subcommand ${interaction.options.getSubcommand()}`);
    }
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    await interaction.respond(
      focused.name === 'lecture' && guildId ? ctx.lectures.forGuild(guildId).autocomplete(focused.value) : [],
    );
  },
  buttons: quizButtons,
} satisfies Command;

export default quizCommand;
