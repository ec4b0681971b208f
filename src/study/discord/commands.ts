// /quiz practice, /quiz review and /quiz progress, and the review line of /quiz score: read what
// the member asked, run the study flow, reply privately.
import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import type { BotContext } from '../../discord/command.js';
import type { MessageView } from '../../discord/embeds.js';
import { requireGuildId } from '../../discord/guild.js';
import { respond } from '../../discord/respond.js';
import { findLecture } from '../../quiz/discord/views.js';
import type { Member } from '../study.js';
import { lectureProgressMessage, progressMessage, studyMessage, withReviewDue } from './render.js';

/** The member behind an interaction, in its server, with that server's lectures, now. */
export async function memberOf(
  interaction: { guildId: string | null; user: { id: string } },
  ctx: BotContext,
): Promise<Member> {
  const guildId = requireGuildId(interaction);
  const catalog = await ctx.lectures.forGuild(guildId);
  return { guildId, userId: interaction.user.id, catalog, now: ctx.now() };
}

export async function practiceCommand(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  lectureQuery: string,
  requestedSet: number | null,
): Promise<void> {
  const member = await memberOf(interaction, ctx);
  const lecture = await findLecture(ctx, member.guildId, lectureQuery);
  const view = await ctx.study.startPractice(member, lecture, requestedSet, ctx.random);
  await respond(interaction, { ...studyMessage(view), ephemeral: true });
}

/** /quiz review, and the "Start a review" buttons: a new private message. */
export async function reviewCommand(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  ctx: BotContext,
): Promise<void> {
  const view = await ctx.study.startReview(await memberOf(interaction, ctx));
  await respond(interaction, { ...studyMessage(view), ephemeral: true });
}

export async function progressCommand(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  lectureQuery: string | null,
): Promise<void> {
  const member = await memberOf(interaction, ctx);
  const view =
    lectureQuery === null
      ? progressMessage(await ctx.study.progress(member))
      : lectureProgressMessage(
          await ctx.study.lectureProgress(member, await findLecture(ctx, member.guildId, lectureQuery)),
          member.now,
        );
  await respond(interaction, { ...view, ephemeral: true });
}

/** /quiz score for oneself gains how many questions are due for review, with a button to start. */
export async function withOwnReview(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  view: MessageView,
): Promise<MessageView> {
  return withReviewDue(view, await ctx.study.dueSummary(await memberOf(interaction, ctx)));
}
