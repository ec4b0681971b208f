// Sends each interaction to its command, autocomplete or button handler. The returned function
// never rejects: every failure ends in reportFailure, so no event can take the process down.
import type { AutocompleteInteraction, Interaction } from 'discord.js';
import type { BotContext, Command, ComponentRoute } from './command.js';
import { customIdPrefix } from './custom-id.js';
import { UserError, logContext, reportFailure } from './respond.js';

export type InteractionHandler = (interaction: Interaction) => Promise<void>;

export function createRouter(commands: readonly Command[], ctx: BotContext): InteractionHandler {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const byPrefix = new Map<string, ComponentRoute>();
  for (const route of commands.flatMap((command) => command.components ?? [])) {
    if (byPrefix.has(route.prefix))
      throw new Error(`two commands claim the custom_id prefix ${route.prefix}`);
    byPrefix.set(route.prefix, route);
  }

  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserError('That command is no longer available here.');
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await autocomplete(interaction, byName.get(interaction.commandName), ctx);
      } else if (interaction.isMessageComponent()) {
        const route = byPrefix.get(customIdPrefix(interaction.customId));
        if (!route)
          throw new UserError('This button is no longer supported. Run the command again for fresh buttons.');
        await route.handle(interaction, ctx);
      } else {
        ctx.log.debug(logContext(interaction), 'ignored an interaction of a kind the bot does not use');
      }
    } catch (error) {
      await reportFailure(interaction, error, ctx.log);
    }
  };
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
