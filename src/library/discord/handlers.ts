// /lecture add, list, remove and download, and the list's page buttons. Thin: reads the options,
// checks the member may manage the server, hands over to the library and renders its answer.
import { MessageFlags } from 'discord.js';
import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute } from '../../discord/command.js';
import { memberName, requireGuildId } from '../../discord/guild.js';
import { requireManageServer } from '../../discord/permissions.js';
import { UserError, respond } from '../../discord/respond.js';
import type { Choice } from '../../quiz/catalog.js';
import type { AttachmentRef } from '../library.js';
import { MAX_FILES_PER_ADD } from '../limits.js';
import { addReply, downloadEmbed, listMessage, removedEmbed } from './render.js';

/** The attachment options of /lecture add: file, file2 ... file5. */
export const FILE_OPTIONS = Array.from({ length: MAX_FILES_PER_ADD }, (_, index) =>
  index === 0 ? 'file' : `file${index + 1}`,
);

export async function addLectures(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  requireManageServer(interaction, 'add lectures');
  const guildId = requireGuildId(interaction);
  const files: AttachmentRef[] = [];
  for (const option of FILE_OPTIONS) {
    const attachment = interaction.options.getAttachment(option);
    if (attachment) files.push({ name: attachment.name, url: attachment.url, size: attachment.size });
  }
  if (files.length === 0) throw new UserError('Attach at least one .md lecture file.');
  // Downloads may take up to 10 s; Discord wants an answer within 3.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcomes = await ctx.library.add({
    guildId,
    files,
    replace: interaction.options.getBoolean('replace') ?? false,
    by: { id: interaction.user.id, name: memberName(interaction) },
    at: ctx.now(),
  });
  await respond(interaction, { ...addReply(outcomes), ephemeral: true });
}

export async function listLectures(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  requireManageServer(interaction, 'manage lectures');
  const guildId = requireGuildId(interaction);
  const view = listMessage(await ctx.library.list(guildId), ctx.lectures.bundled, ctx.library.limits, 0);
  await respond(interaction, { ...view, ephemeral: true });
}

export async function removeLecture(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
): Promise<void> {
  requireManageServer(interaction, 'remove lectures');
  const guildId = requireGuildId(interaction);
  const removed = await ctx.library.remove(guildId, interaction.options.getString('lecture', true).trim());
  const events = (await ctx.events.store.listByGuild(guildId)).filter(
    (event) => event.lectureId === removed.id,
  );
  await respond(interaction, {
    embeds: [
      removedEmbed(
        removed,
        events.map((event) => event.id),
      ),
    ],
    ephemeral: true,
  });
}

export async function downloadLecture(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
): Promise<void> {
  requireManageServer(interaction, 'download lectures');
  const guildId = requireGuildId(interaction);
  const id = interaction.options.getString('lecture', true).trim();
  const file = await ctx.library.download(guildId, id);
  await respond(interaction, {
    embeds: [downloadEmbed(file.fileName, id)],
    files: [{ name: file.fileName, data: file.bytes }],
    ephemeral: true,
  });
}

export const libraryButtons: ButtonRoute = {
  kinds: ['library-page'],
  async handle(interaction: MessageComponentInteraction, ctx: BotContext, id) {
    if (id.kind !== 'library-page') return;
    requireManageServer(interaction, 'manage lectures');
    const guildId = requireGuildId(interaction);
    const view = listMessage(
      await ctx.library.list(guildId),
      ctx.lectures.bundled,
      ctx.library.limits,
      id.page,
    );
    await interaction.update(view);
  },
};

/** Autocomplete for remove and download: this server's own lectures only. */
export async function ownLectureChoices(ctx: BotContext, guildId: string, typed: string): Promise<Choice[]> {
  return (await ctx.library.ownCatalog(guildId)).autocomplete(typed);
}
