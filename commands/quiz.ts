// /quiz: start a lecture's quiz, list lectures, show a score or the leaderboard; practise a lecture
// privately, review what is due, see progress. Thin: reads the options and hands over to the quiz
// feature (src/quiz/discord/) and the study feature (src/study/discord/).
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { joinButtonRoutes } from '../src/discord/command.js';
import { lectureOption } from './options.js';
import { MAX_LIST_SEARCH_LENGTH } from '../src/discord/custom-id.js';
import { requireGuildId } from '../src/discord/guild.js';
import { quizButtons } from '../src/quiz/discord/buttons.js';
import { startQuiz } from '../src/quiz/discord/start.js';
import { leaderboardView, lectureListView, scoreView } from '../src/quiz/discord/views.js';
import { respond } from '../src/discord/respond.js';
import { studyButtons } from '../src/study/discord/buttons.js';
import {
  practiceCommand,
  progressCommand,
  reviewCommand,
  withOwnReview,
} from '../src/study/discord/commands.js';

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
  .addSubcommand((sub) => sub.setName('leaderboard').setDescription("This server's top players"))
  .addSubcommand((sub) =>
    lectureOption(
      sub
        .setName('practice')
        .setDescription('Practise a lecture privately, one question at a time (no points)'),
    ).addIntegerOption((option) =>
      option
        .setName('set')
        .setDescription('For quiz files: which quiz set (random when empty)')
        .setMinValue(1),
    ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('review')
      .setDescription('Review your questions that are due, most overdue first (no points)'),
  )
  .addSubcommand((sub) =>
    sub
      .setName('progress')
      .setDescription('Questions seen, right and due, per lecture')
      .addStringOption((option) =>
        option
          .setName('lecture')
          .setDescription('One lecture, question by question')
          .setAutocomplete(true)
          .setMaxLength(100),
      ),
  );

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
          ...(await lectureListView(
            ctx,
            requireGuildId(interaction),
            interaction.options.getString('search') ?? '',
            0,
          )),
          ephemeral: true,
        });
      case 'score': {
        const user = interaction.options.getUser('user') ?? interaction.user;
        const view = await scoreView(ctx, requireGuildId(interaction), user.id);
        // Only one's own review queue: it is private study, and the button starts the clicker's.
        return respond(
          interaction,
          user.id === interaction.user.id ? await withOwnReview(interaction, ctx, view) : view,
        );
      }
      case 'leaderboard':
        return respond(interaction, await leaderboardView(ctx, requireGuildId(interaction), 0));
      case 'practice':
        return practiceCommand(
          interaction,
          ctx,
          interaction.options.getString('lecture', true),
          interaction.options.getInteger('set'),
        );
      case 'review':
        return reviewCommand(interaction, ctx);
      case 'progress':
        return progressCommand(interaction, ctx, interaction.options.getString('lecture'));
      default:
        throw new Error(`unknown subcommand ${interaction.options.getSubcommand()}`);
    }
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    await interaction.respond(
      focused.name === 'lecture' && guildId
        ? (await ctx.lectures.forAutocomplete(guildId)).autocomplete(focused.value)
        : [],
    );
  },
  buttons: joinButtonRoutes(quizButtons, studyButtons),
} satisfies Command;

export default quizCommand;
