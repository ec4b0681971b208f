// The shard manager as the whole process: starts the shards, stops them on SIGINT/SIGTERM, exits 1
// when they cannot be started or keep dying. Never resolves: the process ends here.
import { fileURLToPath } from 'node:url';
import type { Config, ShardPlan } from '../config.js';
import type { Logger } from '../logger.js';
import { startShardManager } from './manager.js';

export async function superviseShards(
  config: Config,
  plan: ShardPlan,
  log: Logger,
  entryUrl: string,
): Promise<never> {
  let stopRequested: string | null = null;
  let stop: (() => Promise<void>) | null = null;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopRequested !== null) return;
    stopRequested = reason;
    log.info({ reason }, 'stopping every shard process');
    await stop?.();
    process.exit(process.exitCode ?? 0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
  try {
    const supervisor = await startShardManager(config, plan, log, fileURLToPath(entryUrl));
    stop = supervisor.stop;
    if (stopRequested !== null) await supervisor.stop();
  } catch (error) {
    log.fatal(
      { err: error },
      `could not start the shards: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  return new Promise<never>(() => undefined);
}
