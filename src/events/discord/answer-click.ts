// A click on a quiz event's answer button. Only recorded, never graded aloud: the reveal shows
// the right answer to everyone at once. The private reply goes out only after the store has the
// answer it speaks of, so "locked in" always means it will count. No message is edited per click.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { memberName, requireGuildId } from '../../discord/guild.js';
import { respondPrivately } from '../../discord/respond.js';
import { eventAnswerReply } from '../answers.js';

export type EventAnswerId = Extract<QuizCustomId, { kind: 'event-answer' }>;

export async function handleEventAnswerClick(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: EventAnswerId,
): Promise<void> {
  const result = await ctx.events.store.recordAnswer({
    eventId: id.eventId,
    occurrence: id.occurrence,
    questionIndex: id.question,
    userId: interaction.user.id,
    userName: memberName(interaction),
    choice: id.answer,
    // The click's own time (from its snowflake), not when it reached us: a queue can't make it late.
    at: interaction.createdTimestamp,
    guildId: requireGuildId(interaction),
    channelId: interaction.channelId,
  });
  await respondPrivately(interaction, eventAnswerReply(result, id.answer));
}
