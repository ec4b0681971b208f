// The hot path: a click on an answer button. Everything needed is in the custom_id, the lecture
// in memory and one store call, so the private reply goes out well within Discord's 3 seconds.
import type { MessageComponentInteraction } from 'discord.js';
import { questionAt } from '../catalog.js';
import { questionFingerprint } from '../fingerprint.js';
import { feedbackText, gradeChoice } from '../grading.js';
import type { BotContext } from '../../discord/command.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { requireGuildId } from '../../discord/guild.js';
import { gradeEmbed } from './render.js';
import { UserError, respond } from '../../discord/respond.js';
import { CHANGED_QUESTION, REMOVED_LECTURE } from './views.js';

export type AnswerId = Extract<QuizCustomId, { kind: 'answer' }>;

export async function handleAnswerClick(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: AnswerId,
): Promise<void> {
  const guildId = requireGuildId(interaction);
  const lecture = ctx.catalog.get(id.lectureId);
  if (!lecture) throw new UserError(REMOVED_LECTURE);
  const question = questionAt(lecture, id.set, id.question);
  if (!question || questionFingerprint(question) !== id.fingerprint) throw new UserError(CHANGED_QUESTION);
  const grade = gradeChoice(question, id.answer);
  if (!grade) throw new UserError(CHANGED_QUESTION);

  // Only after the store has the answer is it acknowledged: a reply means it is on disk.
  const outcome = await ctx.store.recordAnswer({
    guildId,
    userId: interaction.user.id,
    questionKey: `${id.lectureId}:${id.set}:${id.question}:${id.fingerprint}`,
    choice: id.answer,
    correct: grade.correct,
    at: ctx.now(),
  });
  const text = feedbackText(grade, { ...outcome, points: outcome.score.points });
  await respond(interaction, { embeds: [gradeEmbed(grade.correct, text)], ephemeral: true });
}
