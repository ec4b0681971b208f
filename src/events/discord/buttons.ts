// The buttons /quizevent owns: answers to an event's questions, and the pages of /quizevent list.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { handleEventAnswerClick } from './answer-click.js';
import { eventListView, requireModerator } from './manage.js';

async function handleEventButton(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: QuizCustomId,
): Promise<void> {
  switch (id.kind) {
    case 'event-answer':
      return handleEventAnswerClick(interaction, ctx, id);
    case 'event-list-page': {
      // The list is for moderators; a forwarded or forged button is checked again.
      const guildId = requireModerator(interaction);
      await interaction.update(await eventListView(ctx, guildId, id.page));
      return;
    }
    default:
      throw new Error(`/quizevent does not handle ${id.kind} buttons`);
  }
}

export const eventButtons: ButtonRoute = {
  kinds: ['event-answer', 'event-list-page'],
  handle: handleEventButton,
};
