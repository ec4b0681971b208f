// What a slash command module exports, and what every handler is given. General on purpose:
// other commands (a future /quizevent) plug in the same way, with buttons under their own prefix.
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../logger.js';
import type { Catalog } from '../quiz/catalog.js';
import type { QuizStore } from '../store/index.js';

export interface BotContext {
  catalog: Catalog;
  store: QuizStore;
  log: Logger;
  /** Picks a quiz set when none is asked for; replaceable for tests. */
  random: () => number;
  /** Epoch milliseconds; replaceable for tests. */
  now: () => number;
}

export interface ComponentRoute {
  /** The custom_id text before the first `|` that this route owns. */
  prefix: string;
  handle(interaction: MessageComponentInteraction, ctx: BotContext): Promise<void>;
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  components?: ComponentRoute[];
}
