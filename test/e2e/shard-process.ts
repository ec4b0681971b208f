// A bot process for one shard, as the shard manager starts it (SHARDING_MANAGER, SHARDS, SHARD_COUNT
// in its environment), but forked by the test so that the test moves its clock (test/support/bot-child.ts)
// and kills and restarts it itself.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FakeDiscord } from '../../src/sandbox/fake-discord.js';
import type { TestClock } from '../support/test-clock.js';
import { LECTURES_DIR } from './harness.js';

const CHILD = fileURLToPath(new URL('../support/bot-child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(
  fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url)),
).href;

export interface ShardProcess {
  shard: number;
  child: ChildProcess;
  /** stdout lines (pino JSON). */
  lines: string[];
  /** Moves this process's clock (the caller moves the test's own clock first). */
  advance(ms: number): Promise<void>;
  exited: Promise<void>;
}

export async function startShardProcess(
  fake: FakeDiscord,
  clock: TestClock,
  shard: number,
  count: number,
  env: Record<string, string>,
): Promise<ShardProcess> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', TSX_LOADER],
    env: {
      ...process.env,
      DISCORD_TOKEN: 'fake-token',
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      CONTENT_DIR: LECTURES_DIR,
      LOG_LEVEL: 'info',
      TEST_CLOCK_START: String(clock.now()),
      TEST_INTRO_SECONDS: '0',
      TEST_REVEAL_SECONDS: '1',
      // What discord.js's ShardingManager gives each shard process.
      SHARDING_MANAGER: 'true',
      SHARDING_MANAGER_MODE: 'process',
      SHARDS: String(shard),
      SHARD_COUNT: String(count),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines: string[] = [];
  child.stdout
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    // discord.js's own messages to its "manager" ({ _ready: true }...) come over the same channel.
    child.on('message', (message: { ready?: boolean }) => message.ready === true && resolve());
    child.once('exit', (code) =>
      reject(new Error(`shard ${shard} exited with ${code} before it was ready:\n${lines.join('\n')}`)),
    );
  });
  let nextId = 1;
  return {
    shard,
    child,
    lines,
    exited,
    async advance(ms) {
      const id = nextId++;
      const done = new Promise<void>((resolve) => {
        const onMessage = (message: { advanced?: number }): void => {
          if (message.advanced !== id) return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
      });
      child.send({ advance: ms, id });
      await done;
    },
  };
}

/** Moves the test's clock and every live shard process's by `ms`. */
export async function advanceAll(clock: TestClock, shards: ShardProcess[], ms: number): Promise<void> {
  await clock.advance(ms);
  await Promise.all(
    shards.filter((s) => s.child.exitCode === null && s.child.signalCode === null).map((s) => s.advance(ms)),
  );
}

export async function kill(shard: ShardProcess): Promise<void> {
  shard.child.kill('SIGKILL');
  await shard.exited;
}
