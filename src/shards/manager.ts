// SHARDS set: this process runs no bot itself. It asks Discord how many shards to run (SHARDS=auto)
// or takes SHARDS, and starts one bot process per shard of SHARD_LIST (all by default) through
// discord.js's ShardingManager: the same entry point, told its shard in SHARDS/SHARD_COUNT. A shard
// process that dies is started again; one that keeps dying at once (a bad token, a refused store)
// stops the whole manager with a clear line, since restarting it again would only hide the cause.
import { REST, Routes, ShardingManager } from 'discord.js';
import type { Shard } from 'discord.js';
import type { Config, ShardPlan } from '../config.js';
import type { Logger } from '../logger.js';

/** Discord allows one IDENTIFY per 5 s per rate-limit bucket; the manager waits this between spawns. */
const IDENTIFY_INTERVAL_MS = 5_500;
/** How long a new shard process may take to connect before its start counts as failed. */
const READY_TIMEOUT_MS = 60_000;
/** This many deaths of one shard within DEATH_WINDOW_MS end the manager. */
const MAX_QUICK_DEATHS = 5;
const DEATH_WINDOW_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

interface GatewayBot {
  shards: number;
  session_start_limit: { max_concurrency: number };
}

export interface ShardSupervisor {
  manager: ShardingManager;
  /** The shards this machine runs and how many there are in all. */
  shards: number[];
  total: number;
  stop: () => Promise<void>;
}

export async function startShardManager(
  config: Config,
  plan: ShardPlan,
  log: Logger,
  entryFile: string,
): Promise<ShardSupervisor> {
  const gateway = await fetchGatewayBot(config);
  const total = plan.count === 'auto' ? Math.max(1, gateway.shards) : plan.count;
  const shards = plan.list ?? Array.from({ length: total }, (_, id) => id);
  const outside = shards.filter((id) => id >= total);
  if (outside.length > 0) {
    throw new Error(
      `SHARD_LIST names shard ${outside.join(', ')} but there are only ${total} shards (ids 0 to ${total - 1})`,
    );
  }
  const manager = new ShardingManager(entryFile, {
    totalShards: total,
    shardList: shards,
    token: config.discordToken,
    mode: 'process',
    respawn: true,
    // The runtime's own flags (tsx's loader, the heap limit) for every shard process.
    execArgv: process.execArgv,
  });
  let stopping = false;
  const gaveUp = new Promise<Error>((resolve) => {
    manager.on('shardCreate', (shard) => watchShard(shard, log, () => stopping, resolve));
  });
  log.info(
    { shards, total },
    `starting ${shards.length} shard process(es): ${shards.join(', ')} of ${total}`,
  );
  // Shards in different rate-limit buckets may identify together.
  const delay = gateway.session_start_limit.max_concurrency >= shards.length ? 0 : IDENTIFY_INTERVAL_MS;
  const spawned = manager.spawn({ amount: total, delay, timeout: READY_TIMEOUT_MS });
  const stop = async (): Promise<void> => {
    stopping = true;
    await stopShards(manager);
  };
  try {
    const failure = await Promise.race([spawned.then(() => null), gaveUp]);
    if (failure !== null) throw failure;
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ shards, total }, `all ${shards.length} shard process(es) ready`);
  void gaveUp.then(async (error) => {
    log.fatal({ err: error }, error.message);
    await stop();
    process.exit(1);
  });
  return { manager, shards, total, stop };
}

function watchShard(
  shard: Shard,
  log: Logger,
  stopping: () => boolean,
  giveUp: (error: Error) => void,
): void {
  const deaths: number[] = [];
  log.info({ shard: shard.id }, `shard ${shard.id}: starting its process`);
  shard.on('spawn', (child) => {
    const pid = 'pid' in child ? child.pid : undefined;
    log.info({ shard: shard.id, pid }, `shard ${shard.id}: process ${pid ?? '?'} started`);
  });
  shard.on('death', (child) => {
    const pid = 'pid' in child ? child.pid : undefined;
    const exitCode = 'exitCode' in child ? child.exitCode : undefined;
    if (stopping()) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && (deaths[0] ?? now) < now - DEATH_WINDOW_MS) deaths.shift();
    log.warn({ shard: shard.id, pid, exitCode }, `shard ${shard.id}: process died; starting it again`);
    if (deaths.length >= MAX_QUICK_DEATHS) {
      giveUp(
        new Error(
          `shard ${shard.id} died ${deaths.length} times within a minute; stopping (see its log above)`,
        ),
      );
    }
  });
  // A respawn that fails arrives here; without a listener it would end the manager.
  shard.on('error', (error: unknown) =>
    log.error({ shard: shard.id, err: error }, `shard ${shard.id}: could not start`),
  );
}

/** SIGTERM to every shard process (each stops cleanly), waiting a bounded time for them to exit. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map((shard) => {
    const child = shard.process;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    shard.kill();
    return exited;
  });
  await Promise.race([
    Promise.all(exits),
    new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref()),
  ]);
}

/** GET /gateway/bot through the configured API (DISCORD_API_URL too): shard count and limits. */
async function fetchGatewayBot(config: Config): Promise<GatewayBot> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.discordToken);
  const body: unknown = await rest.get(Routes.gatewayBot());
  if (!isGatewayBot(body)) throw new Error('Discord answered GET /gateway/bot without a shard count');
  return body;
}

function isGatewayBot(body: unknown): body is GatewayBot {
  if (typeof body !== 'object' || body === null || !('shards' in body) || typeof body.shards !== 'number')
    return false;
  if (!('session_start_limit' in body)) return false;
  const limit = body.session_start_limit;
  return (
    typeof limit === 'object' &&
    limit !== null &&
    'max_concurrency' in limit &&
    typeof limit.max_concurrency === 'number'
  );
}
