// The buttons /quizevent owns: answers to an event's questions.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { handleEventAnswerClick } from './answer-click.js';

async function handleEventButton(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: QuizCustomId,
): Promise<void> {
  switch (id.kind) {
    case 'event-answer':
      return handleEventAnswerClick(interaction, ctx, id);
    default:
      throw new Error(`/quizevent does not handle ${id.kind} buttons`);
  }
}

export const eventButtons: ButtonRoute = { kinds: ['event-answer'], handle: handleEventButton };
