// SHARDS through the real entry point: the process starts discord.js's ShardingManager, which runs
// one bot process per shard. Each logs its shards when ready, commands are registered once, each
// guild is served by its own shard's process, and a shard process that is killed comes back.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FakeDiscord, guildIdOnShard } from '../../src/sandbox/fake-discord.js';
import { TEST_POSTGRES_URL, createTestDatabase, type TestDatabase } from '../support/servers.js';
import { exitWithin, killChildren, logMessages, runEntryPoint, waitForLog } from './entry-process.js';
import { LECTURES_DIR, waitUntil } from './harness.js';

const GUILDS = [guildIdOnShard(0, 2, 3), guildIdOnShard(1, 2, 4)];

let database: TestDatabase | undefined;
let fake: FakeDiscord | undefined;
let dir: string | undefined;

beforeAll(async () => {
  if (TEST_POSTGRES_URL !== undefined) database = await createTestDatabase('shards_manager');
});
afterAll(() => database?.drop());
afterEach(async () => {
  killChildren();
  await fake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The pid in a "shard N: process PID started" line, the latest one. */
function shardPid(lines: string[], shard: number): number | undefined {
  const pids = lines.flatMap((line) => {
    const match = new RegExp(`^shard ${shard}: process (\\d+) started$`).exec(line);
    return match ? [Number(match[1])] : [];
  });
  return pids.at(-1);
}

function answered(discord: FakeDiscord, guildId: string): Promise<unknown> {
  const sent = discord.sendCommand({
    name: 'quiz',
    guildId,
    options: [{ type: 1, name: 'list', options: [] }],
  });
  return discord.waitForCallback(sent.id, 15_000);
}

it.skipIf(TEST_POSTGRES_URL === undefined)(
  'GIVEN SHARDS=auto and Discord recommending 2 THEN one process per shard logs its shards, commands are registered once, both guilds are served, and a killed shard process is started again',
  async () => {
    dir = await mkdtemp(join(tmpdir(), 'quizbot-shards-'));
    fake = await FakeDiscord.start({
      shards: 2,
      maxConcurrency: 2,
      guilds: GUILDS.map((id, i) => ({
        id,
        name: `Guild ${i}`,
        channels: [{ id: `33000000000000000${i}`, name: 'quiz' }],
      })),
    });
    const discord = fake;
    const manager = runEntryPoint(dir, {
      DISCORD_TOKEN: 'fake-token',
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      CONTENT_DIR: LECTURES_DIR,
      STORE_URL: database?.url ?? '',
      SHARDS: 'auto',
      LOG_LEVEL: 'info',
    });
    await waitForLog(manager, /^all 2 shard process\(es\) ready$/, 60_000);
    const readyLines = () =>
      logMessages(manager).filter((msg) => /^Ready as QuizBot: .*, shard \d of 2$/.test(msg));
    // The manager counts a shard ready at discord.js's ready; the bot logs its own line a moment later.
    await waitUntil(() => readyLines().length === 2, 30_000);
    expect(
      readyLines()
        .map((line) => /shard (\d) of 2/.exec(line)?.[1])
        .sort(),
    ).toEqual(['0', '1']);
    expect(readyLines().every((line) => line.includes(', 1 guild,'))).toBe(true);
    expect(discord.connectedShards().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const registrations = () =>
      discord.requests.filter(
        (r) => r.method === 'PUT' && r.path === `/applications/${discord.applicationId}/commands`,
      );
    expect(registrations()).toHaveLength(1);
    await Promise.all(GUILDS.map((guildId) => answered(discord, guildId)));
    // With PostgreSQL too, the parsed lectures are kept for the next start, in data/.
    const cacheFile = join(dir, 'data', 'content-cache.jsonl');
    expect(existsSync(cacheFile)).toBe(true);
    const cachedAt = statSync(cacheFile).mtimeMs;

    // Kill shard 1's process: the manager starts another, which connects shard 1 again.
    const pid = shardPid(logMessages(manager), 1);
    expect(pid).toBeDefined();
    process.kill(pid ?? 0, 'SIGKILL');
    await waitForLog(manager, /^shard 1: process died; starting it again$/, 15_000);
    await waitUntil(() => readyLines().filter((line) => line.endsWith('shard 1 of 2')).length === 2, 60_000);
    expect(shardPid(logMessages(manager), 1)).not.toBe(pid);
    await answered(discord, GUILDS[1]!);
    // The new process read the lectures from the cache: nothing had changed, so it wrote nothing.
    expect(statSync(cacheFile).mtimeMs).toBe(cachedAt);
    expect(registrations()).toHaveLength(1);

    manager.child.kill('SIGTERM');
    expect((await exitWithin(manager, 20_000)).code).toBe(0);
    await waitUntil(() => discord.connectedShards().length === 0, 10_000);
  },
  120_000,
);
