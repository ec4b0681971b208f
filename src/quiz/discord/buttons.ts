// The buttons /quiz owns: answers, the full lecture and its pages, list and leaderboard pages.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { requireGuildId } from '../../discord/guild.js';
import { respond } from '../../discord/respond.js';
import { handleAnswerClick } from './answer-click.js';
import { leaderboardView, lectureListView, lecturePageView } from './views.js';

async function handleQuizButton(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: QuizCustomId,
): Promise<void> {
  switch (id.kind) {
    case 'answer':
      return handleAnswerClick(interaction, ctx, id);
    case 'lecture-open':
      // A private copy for the reader; its page buttons then edit that copy in place.
      return respond(interaction, {
        ...(await lecturePageView(ctx, requireGuildId(interaction), id.lectureId, 0)),
        ephemeral: true,
      });
    // Paging edits the message the buttons are on (callback type 7): no new message per page.
    case 'lecture-page':
      await interaction.update(
        await lecturePageView(ctx, requireGuildId(interaction), id.lectureId, id.page),
      );
      return;
    case 'list-page':
      await interaction.update(await lectureListView(ctx, requireGuildId(interaction), id.search, id.page));
      return;
    case 'leaderboard-page':
      await interaction.update(await leaderboardView(ctx, requireGuildId(interaction), id.page));
      return;
    default:
      throw new Error(`/quiz does not handle ${id.kind} buttons`);
  }
}

export const quizButtons: ButtonRoute = {
  kinds: ['answer', 'lecture-open', 'lecture-page', 'list-page', 'leaderboard-page'],
  handle: handleQuizButton,
};
