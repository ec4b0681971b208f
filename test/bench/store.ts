// Benchmark: the quiz store with the bot's own settings on a temp file. Run: npx tsx test/bench/store.ts
// Prints scoring writes per second (one user at a time, and 200 users clicking at once) and the
// leaderboard top-ten time for guilds of 1,000 / 10,000 / 100,000 scored members, first request
// after a restart and warm, and the last-placed member's rank on the first request after a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import { emptyScore, type ScoreRecord } from '../../src/quiz/scoring.js';
import { openStore, type QuizStore } from '../../src/store/index.js';
import { scoreKey } from '../../src/store/keys.js';
import { KeyvTable } from '../../src/store/sqlite.js';
import { answerQuestion } from '../../src/quiz/answer.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { lectureFingerprints } from '../../src/quiz/fingerprint.js';
import { GradedAnswers } from '../../src/quiz/graded.js';
import { StatsRecorder } from '../../src/stats/recorder.js';
import { Study } from '../../src/study/study.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';

const GUILD_SIZES = [1_000, 10_000, 100_000];
const SEQUENTIAL_WRITES = 2_000;
const CONCURRENT_USERS = 200;
const ANSWERS_PER_CONCURRENT_USER = 20;
const WARM_REPEATS = 200;
const ROWS_PER_INSERT = 500;
/** The click benchmark's closed loop shares about 3.6 clicks per write statement. */
const CLICKS_PER_TURN = 4;
const CLICK_MEMBERS = 1_000;
const MEASURED_CLICK_TURNS = 2_500;

const silentLogger = { warn: () => undefined };

export async function runStoreBench(): Promise<Record<string, number>> {
  const folder = await mkdtemp(join(tmpdir(), 'quizbot-bench-'));
  const url = `sqlite://${join(folder, 'bench.sqlite')}`;
  const figures: Record<string, number> = {};
  let store = await openStore(url, { logger: silentLogger });
  try {
    figures.writesPerSecondSequential = await sequentialWrites(store);
    figures.writesPerSecondConcurrent200Users = await concurrentWrites(store);
    figures.clickStoreCpuUs = await clickStoreCpu(store);

    for (const size of GUILD_SIZES) await seedGuild(store, `bench${size}`, size);
    // Reopen so every guild's index is built from disk, as after a restart.
    await store.close();
    store = await openStore(url, { logger: silentLogger });

    for (const size of GUILD_SIZES) {
      const guildId = `bench${size}`;
      const first = await timeMs(() => store.leaderboard(guildId, 0, 10));
      if (first.result.total !== size) throw new Error(`guild ${guildId} has ${first.result.total} members`);
      figures[`top10FirstMs_${size}`] = first.ms;
      figures[`top10WarmMs_${size}`] = await medianMs(() => store.leaderboard(guildId, 0, 10));
      figures[`rankWarmMs_${size}`] = await medianMs(() => store.getScore(guildId, `u${size >> 1}`));
      // A click in a big guild: two reads, one write, one index move.
      let question = 0;
      figures[`recordAnswerMs_${size}`] = await medianMs(() =>
        store.recordAnswer({
          guildId,
          userId: `u${question % size}`,
          questionKey: `bench:${question++}`,
          choice: 0,
          correct: true,
          at: Date.now(),
        }),
      );
    }

    // A member's place on the first request after a restart: the last-placed member, the most
    // members ahead to count.
    const lastPlaced = new Map<number, string>();
    for (const size of GUILD_SIZES) {
      const page = await store.leaderboard(`bench${size}`, size - 1, 1);
      lastPlaced.set(size, page.entries[0]?.userId ?? '');
    }
    await store.close();
    store = await openStore(url, { logger: silentLogger });
    for (const size of GUILD_SIZES) {
      const first = await timeMs(() => store.getScore(`bench${size}`, lastPlaced.get(size) ?? ''));
      if (first.result?.rank !== size)
        throw new Error(`the last member of bench${size} ranks ${first.result?.rank}`);
      figures[`rankFirstMs_${size}`] = first.ms;
    }
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
  return figures;
}

async function sequentialWrites(store: QuizStore): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL_WRITES; i++) {
    await store.recordAnswer(click('sequential', `u${i % 50}`, `q:${i}`, i));
  }
  return SEQUENTIAL_WRITES / ((performance.now() - started) / 1000);
}

async function concurrentWrites(store: QuizStore): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_USERS }, async (_, user) => {
      for (let question = 0; question < ANSWERS_PER_CONCURRENT_USER; question++) {
        await store.recordAnswer(click('concurrent', `u${user}`, `q:${question}`, question));
      }
    }),
  );
  const writes = CONCURRENT_USERS * ANSWERS_PER_CONCURRENT_USER;
  return writes / ((performance.now() - started) / 1000);
}

/**
 * CPU time (all threads, µs) of a channel quiz click's work without Discord: answerQuestion with
 * the bot's listeners (the answer and score with their leaderboard rows, the review card, the
 * teachers' counts), CLICKS_PER_TURN members at a time, as a crowd's clicks share a turn. What the
 * click benchmark's bot spends per click beyond the bare bot, less this, is the rest of the bot.
 */
async function clickStoreCpu(store: QuizStore): Promise<number> {
  const questions = Array.from({ length: 20 }, (_, i) =>
    makeQuestion(`Question ${i}: which one?`, ['first', 'second', 'third', 'fourth'], i % 4),
  );
  const lecture = makeLecture({ id: 'bench-click', questions });
  const catalog = new Catalog([lecture]);
  const graded = new GradedAnswers([new Study(store.records).listener, new StatsRecorder(store.table)]);
  const fingerprints = lectureFingerprints(lecture)[0] ?? [];
  const clickAt = async (n: number) => {
    const question = Math.floor(n / CLICK_MEMBERS) % questions.length;
    await answerQuestion(catalog, store, graded, {
      guildId: 'clicks',
      userId: `m${n % CLICK_MEMBERS}`,
      lectureId: lecture.id,
      set: 0,
      question,
      answer: n % 4,
      fingerprint: fingerprints[question] ?? '',
      at: 1_700_000_000_000 + n,
    });
  };
  const turns = async (from: number, count: number) => {
    for (let turn = from; turn < from + count; turn++) {
      await Promise.all(
        Array.from({ length: CLICKS_PER_TURN }, (_, i) => clickAt(turn * CLICKS_PER_TURN + i)),
      );
    }
  };
  await turns(0, 500); // warm-up: the JIT, and the store's pages
  const before = process.cpuUsage();
  await turns(500, MEASURED_CLICK_TURNS);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (MEASURED_CLICK_TURNS * CLICKS_PER_TURN);
}

function click(guildId: string, userId: string, questionKey: string, n: number) {
  return { guildId, userId, questionKey, choice: n % 4, correct: n % 3 !== 0, at: 1_700_000_000_000 + n };
}

/** Writes `size` score records in the store's own format, in one transaction of multi-row INSERTs. */
export async function seedGuild(store: QuizStore, guildId: string, size: number): Promise<void> {
  const table = new KeyvTable(store.keyv.store as KeyvSqliteAdapter, store.keyv);
  await table.query('BEGIN');
  try {
    for (let start = 0; start < size; start += ROWS_PER_INSERT) {
      const count = Math.min(ROWS_PER_INSERT, size - start);
      const rows = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          table.toRow({ key: scoreKey(guildId, `u${start + i}`), value: randomScore(start + i) }),
        ),
      );
      await table.query(table.upsertSql(count), ...rows.flat());
    }
    await table.query('COMMIT');
  } catch (error) {
    await table.query('ROLLBACK');
    throw error;
  }
}

/** Plausible spread with many ties: up to 200 questions, mostly right. */
function randomScore(n: number): ScoreRecord {
  const answered = 1 + ((n * 7_919) % 200);
  const correct = Math.floor(answered * (0.5 + ((n * 104_729) % 50) / 100));
  return {
    ...emptyScore(),
    points: correct,
    answered,
    correct,
    streak: correct % 7,
    bestStreak: 7,
    firstAnsweredAt: 1_700_000_000_000,
    lastAnsweredAt: 1_700_000_000_000 + n,
    reachedPointsAt: 1_700_000_000_000 + ((n * 31) % 100_000),
  };
}

async function timeMs<T>(operation: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await operation();
  return { ms: performance.now() - started, result };
}

async function medianMs(operation: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARM_REPEATS; i++) times.push((await timeMs(operation)).ms);
  times.sort((a, b) => a - b);
  return times[times.length >> 1] ?? Number.NaN;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await runStoreBench();
  console.log(`Scoring writes: ${figures.writesPerSecondSequential?.toFixed(0)}/s sequential`);
  console.log(
    `Scoring writes: ${figures.writesPerSecondConcurrent200Users?.toFixed(0)}/s with 200 users at once`,
  );
  console.log(
    `A click's work without Discord (grading, answer, score, card, counts): ${figures.clickStoreCpuUs?.toFixed(0)} µs of CPU`,
  );
  for (const size of GUILD_SIZES) {
    console.log(
      `Guild of ${size.toLocaleString('en')}: top ten first ${figures[`top10FirstMs_${size}`]?.toFixed(1)} ms, ` +
        `warm ${figures[`top10WarmMs_${size}`]?.toFixed(3)} ms; last member's rank first ${figures[`rankFirstMs_${size}`]?.toFixed(1)} ms, ` +
        `a middle one's warm ${figures[`rankWarmMs_${size}`]?.toFixed(3)} ms; click ${figures[`recordAnswerMs_${size}`]?.toFixed(3)} ms (target first top ten and rank < 20 ms)`,
    );
  }
}
