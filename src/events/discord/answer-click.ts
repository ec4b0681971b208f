// A click on a quiz event's answer button. Only recorded, never graded aloud: the reveal shows
// the right answer to everyone at once. The private reply goes out only after the store has the
// answer, so "locked in" always means it will count. No message is edited per click.
import type { MessageComponentInteraction } from 'discord.js';
import { answerLetter } from '../../content/present.js';
import { answerRejectionMessage } from '../model.js';
import type { BotContext } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { requireGuildId } from '../../discord/guild.js';
import { respondPrivately } from '../../discord/respond.js';

export type EventAnswerId = Extract<QuizCustomId, { kind: 'event-answer' }>;

export async function handleEventAnswerClick(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: EventAnswerId,
): Promise<void> {
  requireGuildId(interaction);
  // The click's own time (from its snowflake), not when it reached us: a queue can't make it late.
  const result = await ctx.events.store.recordAnswer(
    id.eventId,
    id.question,
    interaction.user.id,
    id.answer,
    interaction.createdTimestamp,
    id.occurrence,
  );
  await respondPrivately(
    interaction,
    result.accepted
      ? `🔒 **Answer locked in: ${answerLetter(id.answer)}.** The right answer is shown when time is up.`
      : answerRejectionMessage(result.reason),
  );
}
