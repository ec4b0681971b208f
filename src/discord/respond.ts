// One way to answer an interaction whatever state it is in, and one way to turn a failure into a
// short private message: the user sees a reference, the log gets the details.
import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes } from 'discord.js';
import type { APIEmbed, Interaction, MessageComponentInteraction, RepliableInteraction } from 'discord.js';
import type { Logger } from '../logger.js';
import { UserError } from '../user-error.js';
import { noticeEmbed } from './embeds.js';
import type { ButtonRow } from './embeds.js';

export { UserError };

/** Anything that can be answered with a message (commands, buttons, modals). */
export type Answerable = RepliableInteraction | MessageComponentInteraction;

export interface Reply {
  embeds: APIEmbed[];
  components?: ButtonRow[];
  ephemeral?: boolean;
  /** Attached files (sent as multipart); an embed shows an image one as `attachment://name`. */
  files?: ReplyFile[];
}

export interface ReplyFile {
  name: string;
  data: Buffer;
}

/** reply, editReply after a deferral, or followUp once answered: the caller need not know which. */
export async function respond(interaction: Answerable, reply: Reply): Promise<void> {
  const files = (reply.files ?? []).map((file) => ({ attachment: file.data, name: file.name }));
  const body = {
    embeds: reply.embeds,
    components: reply.components ?? [],
    ...(files.length > 0 ? { files } : {}),
  };
  const flags = reply.ephemeral ? MessageFlags.Ephemeral : undefined;
  if (interaction.replied) await interaction.followUp({ ...body, flags });
  else if (interaction.deferred) await interaction.editReply(body);
  else await interaction.reply({ ...body, flags });
}

export function respondPrivately(interaction: Answerable, text: string): Promise<void> {
  return respond(interaction, { embeds: [noticeEmbed(text)], ephemeral: true });
}

/** The interaction expired or was answered elsewhere: nobody is waiting for a reply. */
export function isUnanswerable(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownInteraction ||
      error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
  );
}

/** Never rejects: logs, and tells the user what it can. */
export async function reportFailure(interaction: Interaction, error: unknown, log: Logger): Promise<void> {
  const ref = interaction.id;
  if (isUnanswerable(error)) {
    log.warn({ ref, err: error }, 'interaction expired before it was answered');
    return;
  }
  const userError = error instanceof UserError;
  if (!userError) log.error({ ref, err: error, ...logContext(interaction) }, 'interaction failed');
  if (!interaction.isRepliable()) return;
  const text = userError
    ? error.message
    : `Something went wrong on my side (ref ${ref}). Please try again; if it keeps happening, give this reference to the server's admins.`;
  try {
    await respondPrivately(interaction, text);
  } catch (replyError) {
    log.warn({ ref, err: replyError }, 'could not tell the user about a failure');
  }
}

/** What the log needs to find the interaction again: never message content. */
export function logContext(interaction: Interaction): Record<string, unknown> {
  return {
    type: interaction.type,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    command: interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : undefined,
    customId: interaction.isMessageComponent() ? interaction.customId : undefined,
  };
}
