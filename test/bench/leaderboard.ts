// Benchmark: clicks while the bot would build a leaderboard. The bot starts on a store holding 100,000
// scored members of the fake guild, and right after its start (when a store that keeps leaderboards in
// memory builds them; SQLite's now live in the file) it gets a steady stream of clicks and one /quiz
// leaderboard. The longest click wait in that window, against the same run on an empty store, shows how
// long any leaderboard work holds the event loop. Run alone: npx tsx test/bench/leaderboard.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.js';
import { FakeDiscord } from '../../src/sandbox/fake-discord.js';
import { botEntry, startBotProcess, startFlags, type BotProcess } from './bot-process.js';
import { CLICK_CONTENT, ClickDriver, answerFor, loadTargets, openLoop, type LoadFigures } from './clicks.js';
import { median } from './content.js';
import { seedGuild } from './store.js';

export const SCORED_MEMBERS = 100_000;
const CLICKS_PER_SECOND = 200;
const WINDOW_MS = 2_000;

export interface LeaderboardRun {
  seeded: number;
  /** Clicks sent from the moment the bot registered its commands (just before it starts building). */
  clicks: LoadFigures;
  /** /quiz leaderboard sent at the same moment: dispatch to reply (ms). */
  leaderboardMs: number | null;
}

async function runOnce(seeded: number): Promise<LeaderboardRun> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-leaderboard-'));
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const fake = await FakeDiscord.start();
  const driver = new ClickDriver(fake);
  let bot: BotProcess | undefined;
  try {
    const guildId = fake.guilds[0]?.id;
    if (!guildId) throw new Error('the fake has no guild');
    if (seeded > 0) {
      const store = await openStore(storeUrl, { logger: { warn: () => undefined } });
      try {
        await seedGuild(store, guildId, seeded);
      } finally {
        await store.close();
      }
    }
    const targets = await loadTargets(CLICK_CONTENT, fake);
    bot = await startBotProcess({
      ...botEntry('quiz'),
      fake,
      storeUrl,
      contentDir: CLICK_CONTENT,
      nodeArgs: startFlags(),
    });
    void bot.exited.then(() => driver.stop());
    // Registration comes right after ready; the background build starts just after it.
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), 10_000);
    const leaderboard = driver.command('quiz', [{ type: 1, name: 'leaderboard', options: [] }], 1);
    const clicks = await openLoop(driver, 'quiz', {
      perSecond: CLICKS_PER_SECOND,
      count: (CLICKS_PER_SECOND * WINDOW_MS) / 1000,
      next: (i) => {
        const target = targets[i % targets.length];
        if (!target) throw new Error('no targets');
        return { target, answer: answerFor(target, i), member: 30_000_000 + i };
      },
    });
    const board = await leaderboard;
    if (driver.stopped) throw new Error(`the bot exited during the run:\n${bot.output()}`);
    return { seeded, clicks, leaderboardMs: board.ms };
  } finally {
    await bot?.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Alternately an empty store and one of 100,000 scored members, `rounds` times each. */
export async function runLeaderboardBench(
  rounds: number,
  log: (line: string) => void = () => undefined,
): Promise<LeaderboardRun[]> {
  const runs: LeaderboardRun[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const seeded of [0, SCORED_MEMBERS]) {
      const run = await runOnce(seeded);
      log(
        `${String(run.seeded).padStart(6)} scored members: clicks p50 ${run.clicks.p50.toFixed(1)} p99 ${run.clicks.p99.toFixed(1)} max ${run.clicks.max.toFixed(1)} ms` +
          ` (${run.clicks.unanswered} unanswered); /quiz leaderboard ${run.leaderboardMs?.toFixed(0) ?? 'no reply'} ms`,
      );
      runs.push(run);
    }
  }
  return runs;
}

export function summarizeLeaderboard(runs: LeaderboardRun[]): {
  seededMaxMs: number;
  emptyMaxMs: number;
  seededLeaderboardMs: number;
  emptyLeaderboardMs: number;
} {
  const of = (seeded: boolean) => runs.filter((run) => run.seeded > 0 === seeded);
  return {
    seededMaxMs: median(of(true).map((run) => run.clicks.max)),
    emptyMaxMs: median(of(false).map((run) => run.clicks.max)),
    seededLeaderboardMs: median(of(true).map((run) => run.leaderboardMs ?? Number.NaN)),
    emptyLeaderboardMs: median(of(false).map((run) => run.leaderboardMs ?? Number.NaN)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = await runLeaderboardBench(process.argv.includes('--quick') ? 1 : 3, (line) =>
    console.log(line),
  );
  console.log(summarizeLeaderboard(runs));
}
