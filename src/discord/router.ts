// Sends each interaction to its command, autocomplete or button handler. A button's custom_id is
// parsed once, here, and the command that owns its kind handles it. The returned function never
// rejects: every failure ends in reportFailure, so no event can take the process down.
import type { AutocompleteInteraction, Interaction, MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute, Command } from './command.js';
import { CUSTOM_ID_PREFIX, customIdPrefix, parseCustomId } from './custom-id.js';
import type { CustomIdKind, QuizCustomId } from './custom-id.js';
import { UserError, isUnanswerable, logContext, reportFailure } from './respond.js';

export type InteractionHandler = (interaction: Interaction) => Promise<void>;

/** How an interaction ended: answered, refused with a UserError, failed (apology), or expired. */
export type InteractionOutcome = 'ok' | 'refused' | 'failed' | 'expired';

/** One interaction as the router saw it, for metrics. */
export interface HandledInteraction {
  type: 'command' | 'button' | 'autocomplete' | 'other';
  /** `quiz start` for a command, the custom_id kind for a button (`unreadable` when none). */
  kind: string;
  outcome: InteractionOutcome;
  /** From the router receiving it to its handler done (the reply sent), in seconds. */
  seconds: number;
}

export type InteractionObserver = (handled: HandledInteraction) => void;

export const OLDER_BUTTON =
  'This button is from an older version of the bot. Run the command again for fresh buttons.';
export const UNSUPPORTED_BUTTON =
  'This button is no longer supported. Run the command again for fresh buttons.';

/** `observe`, when given, hears of every interaction once its handler is done. */
export function createRouter(
  commands: readonly Command[],
  ctx: BotContext,
  observe?: InteractionObserver,
): InteractionHandler {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const byKind = buttonRoutes(commands);

  return async (interaction) => {
    const startedAt = observe ? performance.now() : 0;
    let type: HandledInteraction['type'] = 'other';
    let kind = '';
    let outcome: InteractionOutcome = 'ok';
    try {
      if (interaction.isChatInputCommand()) {
        type = 'command';
        kind = commandKind(interaction.commandName, interaction.options.getSubcommand(false));
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserError('That command is no longer available here.');
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        type = 'autocomplete';
        kind = interaction.commandName;
        if (!(await autocomplete(interaction, byName.get(interaction.commandName), ctx))) outcome = 'failed';
      } else if (interaction.isMessageComponent()) {
        type = 'button';
        const id = parseCustomId(interaction.customId);
        kind = id?.kind ?? 'unreadable';
        await button(interaction, id, byKind, ctx);
      } else {
        ctx.log.debug(logContext(interaction), 'ignored an interaction of a kind the bot does not use');
      }
    } catch (error) {
      outcome = error instanceof UserError ? 'refused' : isUnanswerable(error) ? 'expired' : 'failed';
      await reportFailure(interaction, error, ctx.log);
    }
    observe?.({ type, kind, outcome, seconds: (performance.now() - startedAt) / 1000 });
  };
}

function commandKind(name: string, subcommand: string | null): string {
  return subcommand === null ? name : `${name} ${subcommand}`;
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
  id: QuizCustomId | null,
  byKind: ReadonlyMap<CustomIdKind, ButtonRoute>,
  ctx: BotContext,
): Promise<void> {
  if (!id) {
    // Ours but unreadable (an old format, or tampered with), or somebody else's entirely.
    const ours = customIdPrefix(interaction.customId) === CUSTOM_ID_PREFIX;
    throw new UserError(ours ? OLDER_BUTTON : UNSUPPORTED_BUTTON);
  }
  const route = byKind.get(id.kind);
  if (!route) throw new UserError(UNSUPPORTED_BUTTON);
  await route.handle(interaction, ctx, id);
}

/** False when it failed (logged, and answered with an empty list). */
async function autocomplete(
  interaction: AutocompleteInteraction,
  command: Command | undefined,
  ctx: BotContext,
): Promise<boolean> {
  try {
    if (!command?.autocomplete) throw new Error(`no autocomplete for /${interaction.commandName}`);
    await command.autocomplete(interaction, ctx);
    return true;
  } catch (error) {
    // Autocomplete cannot show a message; an empty list at least stops Discord's spinner.
    ctx.log.error({ ref: interaction.id, err: error, ...logContext(interaction) }, 'autocomplete failed');
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    return false;
  }
}
