// /quiz start: the lecture as the command's reply, then one message per question in the channel.
import { DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import { questionSets, pickSet } from '../catalog.js';
import type { BotContext } from '../../discord/command.js';
import { requireGuildId } from '../../discord/guild.js';
import { lectureMessage, questionMessage } from './render.js';
import { UserError, respond } from '../../discord/respond.js';
import { findLecture } from './views.js';

const CANNOT_POST = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

export async function startQuiz(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  lectureQuery: string,
  requestedSet: number | null,
): Promise<void> {
  const lecture = await findLecture(ctx, requireGuildId(interaction), lectureQuery);
  const sets = questionSets(lecture);
  const set = pickSet(lecture, requestedSet, ctx.random);
  if (set === null) {
    throw new UserError(
      `"${lecture.title}" has ${sets.length} quiz set(s): pick a set from 1 to ${sets.length}.`,
    );
  }
  const questions = sets[set] ?? [];
  await respond(interaction, lectureMessage(lecture, set));
  try {
    // In order, one at a time: questions must appear as numbered, and discord.js queues channel
    // posts under Discord's rate limits anyway.
    for (const [index, question] of questions.entries()) {
      const view = questionMessage(question, { lecture, set, index, total: questions.length });
      await interaction.client.rest.post(Routes.channelMessages(interaction.channelId), { body: view });
    }
  } catch (error) {
    if (error instanceof DiscordAPIError && typeof error.code === 'number' && CANNOT_POST.has(error.code)) {
      throw new UserError(
        'I cannot post the questions in this channel. I need View Channel, Send Messages and Embed Links here.',
      );
    }
    throw error;
  }
  ctx.log.info(
    {
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      lectureId: lecture.id,
      set,
      questions: questions.length,
    },
    'quiz posted',
  );
}
