// The hot path: a click on an answer button. Everything needed is in the custom_id, the lecture
// in memory and one store call, so the private reply goes out well within Discord's 3 seconds.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { memberName, requireGuildId } from '../../discord/guild.js';
import { respond } from '../../discord/respond.js';
import { answerQuestion } from '../answer.js';
import { gradeEmbed } from './render.js';

export type AnswerId = Extract<QuizCustomId, { kind: 'answer' }>;

export async function handleAnswerClick(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: AnswerId,
): Promise<void> {
  const guildId = requireGuildId(interaction);
  const reply = await answerQuestion(await ctx.lectures.forGuild(guildId), ctx.store, ctx.graded, {
    ...id,
    guildId,
    userId: interaction.user.id,
    userName: memberName(interaction),
    at: ctx.now(),
  });
  await respond(interaction, { embeds: [gradeEmbed(reply.correct, reply.text)], ephemeral: true });
}
