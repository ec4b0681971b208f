// npm run deploy: registers the slash commands with Discord, to DISCORD_GUILD_ID when set, else globally.
import { REST } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { commands } from '../commands/index.js';
import { ConfigError, parseConfig } from './config.js';
import { describeTarget, registerCommands, targetOf } from './discord/register.js';
import { createLogger } from './logger.js';

loadDotenv({ quiet: true });

try {
  const config = parseConfig(process.env);
  const log = createLogger(config.logLevel);
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.discordToken);
  const target = targetOf(config);
  await registerCommands(rest, target, commands);
  log.info(
    { commands: commands.map((command) => command.data.name) },
    `registered ${commands.length} slash command(s) for ${describeTarget(target)}`,
  );
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Could not register the commands: ${String(error)}`,
  );
  process.exitCode = 1;
}
