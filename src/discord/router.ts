// Sends each interaction to its command, autocomplete or button handler. A button's custom_id is
// parsed once, here, and the command that owns its kind handles it. The returned function never
// rejects: every failure ends in reportFailure, so no event can take the process down.
import type { AutocompleteInteraction, Interaction, MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute, Command } from './command.js';
import { CUSTOM_ID_PREFIX, customIdPrefix, parseCustomId } from './custom-id.js';
import type { CustomIdKind } from './custom-id.js';
import { UserError, logContext, reportFailure } from './respond.js';

export type InteractionHandler = (interaction: Interaction) => Promise<void>;

export const OLDER_BUTTON =
  'This button is from an older version of the bot. Run the command again for fresh buttons.';
export const UNSUPPORTED_BUTTON =
  'This button is no longer supported. Run the command again for fresh buttons.';

export function createRouter(commands: readonly Command[], ctx: BotContext): InteractionHandler {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const byKind = buttonRoutes(commands);

  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserError('That command is no longer available here.');
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await autocomplete(interaction, byName.get(interaction.commandName), ctx);
      } else if (interaction.isMessageComponent()) {
        await button(interaction, byKind, ctx);
      } else {
        ctx.log.debug(logContext(interaction), 'ignored an interaction of a kind the bot does not use');
      }
    } catch (error) {
      await reportFailure(interaction, error, ctx.log);
    }
  };
}

/** Which command owns each custom_id kind; two owners for one kind is a programming error. */
function buttonRoutes(commands: readonly Command[]): Map<CustomIdKind, ButtonRoute> {
  const byKind = new Map<CustomIdKind, ButtonRoute>();
  for (const command of commands) {
    const route = command.buttons;
    if (!route) continue;
    for (const kind of route.kinds) {
      if (byKind.has(kind)) throw new Error(`two commands claim the button kind ${kind}`);
      byKind.set(kind, route);
    }
  }
  return byKind;
}

async function button(
  interaction: MessageComponentInteraction,
  byKind: ReadonlyMap<CustomIdKind, ButtonRoute>,
  ctx: BotContext,
): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (!id) {
    // Ours but unreadable (an old format, or tampered with), or somebody else's entirely.
    const ours = customIdPrefix(interaction.customId) === CUSTOM_ID_PREFIX;
    throw new UserError(ours ? OLDER_BUTTON : UNSUPPORTED_BUTTON);
  }
  const route = byKind.get(id.kind);
  if (!route) throw new UserError(UNSUPPORTED_BUTTON);
  await route.handle(interaction, ctx, id);
}

async function autocomplete(
  interaction: AutocompleteInteraction,
  command: Command | undefined,
  ctx: BotContext,
): Promise<void> {
  try {
    if (!command?.autocomplete) throw new Error(`no autocomplete for /${interaction.commandName}`);
    await command.autocomplete(interaction, ctx);
  } catch (error) {
    // Autocomplete cannot show a message; an empty list at least stops Discord's spinner.
    ctx.log.error({ ref: interaction.id, err: error, ...logContext(interaction) }, 'autocomplete failed');
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
  }
}
