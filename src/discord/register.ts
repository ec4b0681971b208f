// Slash command registration: always on `npm run deploy`; on start only when the definitions (or
// the target server) changed since the last registration the bot made, as Discord advises.
import { createHash } from 'node:crypto';
import { Routes } from 'discord.js';
import type { REST } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { QuizStore } from '../store/index.js';
import type { Command } from './command.js';

const HASH_META_KEY = 'commands-registration';

export interface RegistrationTarget {
  clientId: string;
  /** A server for development, or null for global commands. */
  guildId: string | null;
}

export function targetOf(config: Pick<Config, 'clientId' | 'guildId'>): RegistrationTarget {
  return { clientId: config.clientId, guildId: config.guildId };
}

export function describeTarget(target: RegistrationTarget): string {
  return target.guildId ? `server ${target.guildId}` : 'all servers (global)';
}

export async function registerCommands(
  rest: REST,
  target: RegistrationTarget,
  commands: readonly Command[],
): Promise<void> {
  const body = commands.map((command) => command.data.toJSON());
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.clientId, target.guildId)
    : Routes.applicationCommands(target.clientId);
  await rest.put(route, { body });
}

export function registrationHash(target: RegistrationTarget, commands: readonly Command[]): string {
  const json = JSON.stringify({ target, commands: commands.map((command) => command.data.toJSON()) });
  return createHash('sha256').update(json).digest('hex');
}

/** True when it registered; false when the stored hash says Discord already has these definitions. */
export async function registerIfChanged(
  rest: REST,
  store: QuizStore,
  target: RegistrationTarget,
  commands: readonly Command[],
  log: Logger,
): Promise<boolean> {
  const hash = registrationHash(target, commands);
  if ((await store.getMeta<string>(HASH_META_KEY)) === hash) {
    log.debug('slash commands unchanged since the last registration');
    return false;
  }
  await registerCommands(rest, target, commands);
  await store.setMeta(HASH_META_KEY, hash);
  log.info({ commands: commands.length }, `registered slash commands for ${describeTarget(target)}`);
  return true;
}
