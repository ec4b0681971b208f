// Starts the sandbox for the entry point (`npm start` without a token, `npm run sandbox`): the page
// is built, the local Discord and the bot start, and the page is served on 127.0.0.1.
import type { RunningBot } from '../bot.js';
import type { Config } from '../config.js';
import { DEFAULT_SANDBOX_PORT } from '../config.js';
import { buildPage } from './page-bundle.js';
import { Sandbox } from './sandbox.js';
import type { SandboxOptions } from './sandbox.js';
import { startServer } from './server.js';
import type { SandboxServer } from './server.js';

export interface RunningSandbox extends RunningBot {
  sandbox: Sandbox;
  server: SandboxServer;
}

/**
 * Resolves once the page is served. The result stands for the bot as `startBot`'s does (its
 * fields are the bot running now: Reset starts a new one); `stop` also stops the page and the local
 * Discord.
 */
export async function startSandbox(config: Config, options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.logger;
  const startedAt = Date.now();
  const page = await buildPage();
  log.debug({ ms: Date.now() - startedAt }, 'sandbox page built');
  const sandbox = await Sandbox.start(config, options);
  let server: SandboxServer;
  const port = config.sandbox?.port ?? DEFAULT_SANDBOX_PORT;
  try {
    server = await startServer(sandbox, page, port, log);
  } catch (error) {
    await sandbox.stop();
    throw portError(error, port);
  }
  log.info(
    { url: server.url, store: config.storeUrl, content: config.contentDir },
    `Sandbox ready: open ${server.url} to try the bot in a local Discord on this computer (Ctrl+C stops it). To run it in Discord, set DISCORD_TOKEN (see .env.example); on a server also set NODE_ENV=production, so that a missing token fails instead of starting this sandbox.`,
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await server.close();
      await sandbox.stop();
    })());
  return {
    sandbox,
    server,
    get client() {
      return sandbox.runningBot.client;
    },
    get store() {
      return sandbox.runningBot.store;
    },
    get content() {
      return sandbox.runningBot.content;
    },
    get lectures() {
      return sandbox.runningBot.lectures;
    },
    get metrics() {
      return sandbox.runningBot.metrics;
    },
    get events() {
      return sandbox.runningBot.events;
    },
    fatal: sandbox.fatal,
    stop,
  };
}

function portError(error: unknown, port: number): unknown {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')
    return new Error(`port ${port} is in use: set SANDBOX_PORT to a free one (or stop what uses it)`);
  return error;
}
