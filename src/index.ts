// npm start: .env, configuration, then the bot until SIGINT/SIGTERM.
import { config as loadDotenv } from 'dotenv';
import { startBot } from './bot.js';
import { ConfigError, parseConfig, wantsSandbox } from './config.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';

loadDotenv({ quiet: true });

let config: Config;
try {
  // No token (outside production) or `--sandbox`: the bot against a local Discord, src/sandbox/.
  config = parseConfig(process.env, { sandbox: wantsSandbox(process.env, process.argv.slice(2)) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\nSee .env.example and docs/self-hosting.md.`);
  process.exit(1);
}

const log = createLogger(config.logLevel);

// Last line of defence: a malformed gateway event can make discord.js itself reject outside any
// handler of ours. Log it and keep serving everyone else.
process.on('unhandledRejection', (reason) => {
  log.error({ err: reason }, 'unhandled promise rejection (the bot keeps running)');
});
process.on('uncaughtException', (error) => {
  log.fatal({ err: error }, 'uncaught exception: shutting down');
  process.exitCode = 1;
  void shutdown('uncaughtException');
});

let bot: Awaited<ReturnType<typeof startBot>> | null = null;
let stopping = false;

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'shutting down');
  try {
    await bot?.stop();
  } catch (error) {
    log.error({ err: error }, 'error while shutting down');
    process.exitCode = 1;
  }
  // Sockets kept alive by the HTTP client would otherwise hold the process open for a while.
  process.exit();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));

try {
  // Loaded only for the sandbox: a real bot never loads the page builder.
  bot = config.sandbox
    ? await (await import('./sandbox/start.js')).startSandbox(config, { logger: log })
    : await startBot(config, { logger: log });
  if (stopping) await bot.stop();
} catch (error) {
  log.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// Discord refused the bot for good, or the store file is gone: the bot has stopped. A non-zero exit
// makes a supervisor restart it or alert, where idling on would look healthy.
void bot.fatal.then((error) => {
  log.fatal({ err: error }, error.message);
  process.exit(1);
});
