// Every `q1|...` button: answers, quiz event answers, lecture pages, list and leaderboard pages.
import type { MessageComponentInteraction } from 'discord.js';
import { handleAnswerClick } from './answer-click.js';
import type { BotContext } from '../../discord/command.js';
import { parseCustomId } from '../../discord/custom-id.js';
import { handleEventAnswerClick } from '../../events/discord/answer-click.js';
import { requireGuildId } from '../../discord/guild.js';
import { leaderboardView, lectureListView, lecturePageView } from './views.js';
import { UserError, respond } from '../../discord/respond.js';

export async function handleQuizButton(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (!id) {
    throw new UserError(
      'This button is from an older version of the bot. Run the command again for fresh buttons.',
    );
  }
  switch (id.kind) {
    case 'answer':
      await handleAnswerClick(interaction, ctx, id);
      return;
    case 'event-answer':
      await handleEventAnswerClick(interaction, ctx, id);
      return;
    case 'lecture-open':
      // A private copy for the reader; its page buttons then edit that copy in place.
      await respond(interaction, { ...lecturePageView(ctx, id.lectureId, 0), ephemeral: true });
      return;
    // Paging edits the message the buttons are on (callback type 7): no new message per page.
    case 'lecture-page':
      await interaction.update(lecturePageView(ctx, id.lectureId, id.page));
      return;
    case 'list-page':
      await interaction.update(lectureListView(ctx, id.search, id.page));
      return;
    case 'leaderboard-page':
      await interaction.update(await leaderboardView(ctx, requireGuildId(interaction), id.page));
      return;
  }
}
