// /lecture: moderators add, list, remove and download this server's own lectures. Thin: reads the
// options and hands over to the library feature (src/library/discord/).
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { SlashCommandStringOption } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { canManageServer } from '../src/discord/permissions.js';
import {
  FILE_OPTIONS,
  addLectures,
  downloadLecture,
  libraryButtons,
  listLectures,
  ownLectureChoices,
  removeLecture,
} from '../src/library/discord/handlers.js';

const data = new SlashCommandBuilder()
  .setName('lecture')
  .setDescription("This server's own lectures (moderators)")
  .setContexts(InteractionContextType.Guild)
  // Hidden from members by default; checked again when run, since servers can change who sees it.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) => {
    sub.setName('add').setDescription('Add lecture files (.md) for this server');
    FILE_OPTIONS.forEach((name, index) =>
      sub.addAttachmentOption((option) =>
        option
          .setName(name)
          .setDescription(index === 0 ? 'A lecture file (.md)' : 'Another lecture file (.md)')
          .setRequired(index === 0),
      ),
    );
    return sub.addBooleanOption((option) =>
      option
        .setName('replace')
        .setDescription("Replace this server's lecture with the same id (False when empty)"),
    );
  })
  .addSubcommand((sub) => sub.setName('list').setDescription("This server's lectures, and the bundled ones"))
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription("Remove one of this server's lectures")
      .addStringOption((option) => ownLectureOption(option, 'The lecture to remove')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('download')
      .setDescription("The file of one of this server's lectures, as uploaded")
      .addStringOption((option) => ownLectureOption(option, 'The lecture to download')),
  );

/** Suggests this server's own lectures only (bundled ones cannot be removed or downloaded). */
function ownLectureOption(option: SlashCommandStringOption, description: string): SlashCommandStringOption {
  return option
    .setName('lecture')
    .setDescription(description)
    .setRequired(true)
    .setAutocomplete(true)
    .setMaxLength(100);
}

export const lectureCommand = {
  data,
  async execute(interaction, ctx) {
    switch (interaction.options.getSubcommand()) {
      case 'add':
        return addLectures(interaction, ctx);
      case 'list':
        return listLectures(interaction, ctx);
      case 'remove':
        return removeLecture(interaction, ctx);
      case 'download':
        return downloadLecture(interaction, ctx);
      default:
        throw new Error(`unknown subcommand ${interaction.options.getSubcommand()}`);
    }
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    // Members never see the command, and autocomplete must not list the server's uploads to them.
    const allowed = guildId !== null && focused.name === 'lecture' && canManageServer(interaction);
    await interaction.respond(allowed ? await ownLectureChoices(ctx, guildId, focused.value) : []);
  },
  buttons: libraryButtons,
} satisfies Command;

export default lectureCommand;
