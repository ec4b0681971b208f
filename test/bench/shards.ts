// Benchmark: two shards against one. The real entry point with SHARDS=2 (the shard manager and a bot
// process per shard) against SHARDS=1 (the manager and one bot process), both on PostgreSQL, with a
// guild on each shard and a closed loop of 200 members split between the two guilds. Figures, not
// judgements: the machine has two cores, which the fake Discord and the load generator share with the
// bots, so a second process can only show what it costs and how far it scales here.
// Run alone: npx tsx test/bench/shards.ts [--quick]   (needs TEST_POSTGRES_URL)
import { fileURLToPath } from 'node:url';
import { FakeDiscord, guildIdOnShard } from '../../src/sandbox/fake-discord.js';
import type { FakeMessage } from '../../src/sandbox/fake-discord.js';
import { TEST_POSTGRES_URL, createTestDatabase } from '../support/servers.js';
import { QUIZ_ENTRY, startBotProcess, startFlags } from './bot-process.js';
import {
  CLICK_CONTENT,
  ClickDriver,
  answerFor,
  closedLoop,
  loadTargets,
  sleep,
  type LoadFigures,
  type Target,
} from './clicks.js';

export interface ShardRun {
  shards: number;
  figures: LoadFigures;
}

const GUILDS = [guildIdOnShard(0, 2, 7), guildIdOnShard(1, 2, 8)];
const CHANNELS = ['340000000000000001', '340000000000000002'];

export async function runShardBench(
  quick: boolean,
  log: (line: string) => void = () => undefined,
): Promise<ShardRun[] | null> {
  if (TEST_POSTGRES_URL === undefined) return null;
  const runs: ShardRun[] = [];
  const rounds = quick ? 1 : 2;
  for (let round = 0; round < rounds; round++) {
    for (const shards of [1, 2]) {
      const figures = await runOnce(shards, quick ? 2_000 : 4_000);
      log(
        `SHARDS=${shards}: ${figures.perSecond.toFixed(0)} replies/s, p50 ${figures.p50.toFixed(1)} ms, ` +
          `p99 ${figures.p99.toFixed(1)} ms, unanswered ${figures.unanswered}, wrong ${figures.wrongReplies}`,
      );
      runs.push({ shards, figures });
    }
  }
  return runs;
}

async function runOnce(shards: number, durationMs: number): Promise<LoadFigures> {
  const database = await createTestDatabase('shards');
  const fake = await FakeDiscord.start({
    shards,
    maxConcurrency: 16,
    guilds: GUILDS.map((id, i) => ({
      id,
      name: `Guild ${i}`,
      channels: [{ id: CHANNELS[i] ?? '', name: 'quiz' }],
    })),
  });
  const driver = new ClickDriver(fake);
  const bot = await startBotProcess({
    entry: QUIZ_ENTRY,
    fake,
    storeUrl: database.url,
    contentDir: CLICK_CONTENT,
    nodeArgs: startFlags(),
    env: { SHARDS: String(shards) },
  });
  try {
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), 60_000);
    const deadline = Date.now() + 60_000;
    while (fake.connectedShards().length < shards && Date.now() < deadline) await sleep(100);
    const base = await loadTargets(CLICK_CONTENT, fake);
    const targets = GUILDS.map((guildId, g) =>
      base.map((target) => onGuild(target, guildId, CHANNELS[g] ?? '')),
    );
    await sleep(500);
    // Members alternate between the two guilds; each answers the questions in order, then a new
    // member takes the slot, so every click is a first answer.
    return await closedLoop(driver, 'quiz', {
      members: 200,
      durationMs,
      maxClicks: 200_000,
      next: (slot, k) => {
        const list = targets[slot % 2] ?? [];
        const target = list[k % list.length];
        if (target === undefined) throw new Error('no targets');
        return {
          target,
          answer: answerFor(target, k + slot),
          member: 30_000_000 + slot + 200 * Math.floor(k / list.length),
        };
      },
    });
  } finally {
    await bot.stop();
    await fake.stop();
    await database.drop();
  }
}

function onGuild(target: Target, guildId: string, channelId: string): Target {
  const message: FakeMessage = { ...target.message, guildId, channelId };
  return { ...target, message };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = await runShardBench(process.argv.includes('--quick'), (line) => console.log(line));
  if (runs === null) console.log('Skipped: set TEST_POSTGRES_URL to a real server.');
}
