// Benchmark: the store on PostgreSQL, and PostgreSQL with Redis leaderboards, on the servers named by
// TEST_POSTGRES_URL / TEST_REDIS_URL (a fresh database and key prefix each run; see docs/scaling.md).
// Scoring writes per second, then a guild of 100,000 scored members: top ten and a member's rank,
// on the first request after a restart and warm. Run alone: npx tsx test/bench/shared-store.ts
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { emptyScore, type ScoreRecord } from '../../src/quiz/scoring.js';
import { openStore, type QuizStore } from '../../src/store/index.js';
import { rankKey } from '../../src/store/rank-key.js';
import {
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  freshRedisPrefix,
} from '../support/servers.js';

export const BIG_GUILD = 100_000;
const SEQUENTIAL_WRITES = 1_000;
const CONCURRENT_USERS = 200;
const ANSWERS_PER_CONCURRENT_USER = 10;
const WARM_REPEATS = 100;
const SEED_CHUNK = 5_000;

const silentLogger = { warn: () => undefined };

export interface SharedStoreFigures {
  /** null when the servers were not given. */
  postgres: Record<string, number> | null;
  redis: Record<string, number> | null;
}

export async function runSharedStoreBench(
  log: (line: string) => void = () => undefined,
): Promise<SharedStoreFigures> {
  if (TEST_POSTGRES_URL === undefined) return { postgres: null, redis: null };
  const database = await createTestDatabase('bench');
  try {
    const postgres = await measure(database.url, {}, log);
    let redis: Record<string, number> | null = null;
    if (TEST_REDIS_URL !== undefined) {
      await database.clear();
      redis = await measure(
        database.url,
        { redisUrl: TEST_REDIS_URL, redisPrefix: freshRedisPrefix('bench') },
        log,
      );
    }
    return { postgres, redis };
  } finally {
    await database.drop();
  }
}

async function measure(
  url: string,
  options: { redisUrl?: string; redisPrefix?: string },
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const label = options.redisUrl ? 'PostgreSQL + Redis' : 'PostgreSQL';
  let store = await openStore(url, { logger: silentLogger, ...options });
  const guildId = `bench${BIG_GUILD}`;
  try {
    figures.writesPerSecondSequential = await sequentialWrites(store);
    figures.writesPerSecondConcurrent200Users = await concurrentWrites(store);
    log(
      `${label}: ${figures.writesPerSecondSequential.toFixed(0)} writes/s one at a time, ${figures.writesPerSecondConcurrent200Users.toFixed(0)}/s with 200 members at once`,
    );
    await seedGuild(url, guildId, BIG_GUILD);
    await store.close();

    // A restart: a new store (as a new process); Redis, when used, does not have the set yet.
    store = await openStore(url, { logger: silentLogger, ...options });
    const first = await timeMs(() => store.leaderboard(guildId, 0, 10));
    if (first.result.total !== BIG_GUILD) throw new Error(`the guild has ${first.result.total} members`);
    figures.top10FirstMs = first.ms;
    figures.rankFirstMs = (await timeMs(() => store.getScore(guildId, lastMember()))).ms;
    if (options.redisUrl) {
      // The set is built in the background from the first request; then Redis answers.
      figures.redisBuildMs = (await timeMs(() => store.warmLeaderboard(guildId))).ms;
    }
    figures.top10WarmMs = await medianMs(() => store.leaderboard(guildId, 0, 10));
    figures.rankWarmMs = await medianMs(() => store.getScore(guildId, lastMember()));
    figures.rankMiddleWarmMs = await medianMs(() => store.getScore(guildId, `u${BIG_GUILD >> 1}`));
    let question = 0;
    figures.recordAnswerMs = await medianMs(() =>
      store.recordAnswer({
        guildId,
        userId: `u${question % BIG_GUILD}`,
        questionKey: `bench:${question++}`,
        choice: 0,
        correct: true,
        at: Date.now(),
      }),
    );
    if (options.redisUrl) {
      // A restart with Redis holding the set at the database's version: its first request.
      await store.close();
      store = await openStore(url, { logger: silentLogger, ...options });
      figures.top10FirstRedisWarmMs = (await timeMs(() => store.leaderboard(guildId, 0, 10))).ms;
      figures.rankFirstRedisWarmMs = (await timeMs(() => store.getScore(guildId, lastMember()))).ms;
    }
    log(`${label}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await store.close();
  }
}

/** The member ranked last, whose place PostgreSQL's index counts the most entries for. */
function lastMember(): string {
  return 'u0';
}

async function sequentialWrites(store: QuizStore): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL_WRITES; i++)
    await store.recordAnswer(click('sequential', `u${i % 50}`, `q:${i}`, i));
  return SEQUENTIAL_WRITES / ((performance.now() - started) / 1000);
}

async function concurrentWrites(store: QuizStore): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_USERS }, async (_, member) => {
      for (let question = 0; question < ANSWERS_PER_CONCURRENT_USER; question++) {
        await store.recordAnswer(click('concurrent', `u${member}`, `q:${question}`, question));
      }
    }),
  );
  return (CONCURRENT_USERS * ANSWERS_PER_CONCURRENT_USER) / ((performance.now() - started) / 1000);
}

function click(guildId: string, userId: string, questionKey: string, n: number) {
  return { guildId, userId, questionKey, choice: n % 4, correct: n % 3 !== 0, at: 1_700_000_000_000 + n };
}

/** Score records and their leaderboard rows written directly, in the store's own format. */
async function seedGuild(url: string, guildId: string, size: number): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('BEGIN');
    for (let start = 0; start < size; start += SEED_CHUNK) {
      const users = Array.from({ length: Math.min(SEED_CHUNK, size - start) }, (_, i) => start + i);
      const scores = users.map((n) => randomScore(n));
      await client.query('INSERT INTO keyv (key, value) SELECT * FROM unnest($1::text[], $2::text[])', [
        users.map((n) => `quizbot:score:${guildId}:u${n}`),
        scores.map((score) => JSON.stringify({ value: score })),
      ]);
      await client.query(
        'INSERT INTO quizbot_leaderboard (guild_id, user_id, rank_key) SELECT $1, * FROM unnest($2::text[], $3::text[])',
        [
          guildId,
          users.map((n) => `u${n}`),
          users.map((n, i) => rankKey(`u${n}`, scores[i] ?? emptyScore())),
        ],
      );
    }
    await client.query(
      'INSERT INTO quizbot_leaderboard_guilds (guild_id, members) VALUES ($1, $2) ON CONFLICT (guild_id) DO UPDATE SET members = excluded.members',
      [guildId, size],
    );
    await client.query(
      `INSERT INTO quizbot_leaderboard_points (guild_id, points_key, members)
       SELECT guild_id, substr(rank_key, 1, 16), count(*) FROM quizbot_leaderboard WHERE guild_id = $1 GROUP BY 1, 2`,
      [guildId],
    );
    await client.query('COMMIT');
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Plausible spread with many ties, as test/bench/store.ts has it; u0 comes last. */
function randomScore(n: number): ScoreRecord {
  const answered = 1 + ((n * 7_919) % 200);
  const correct = n === 0 ? 0 : Math.floor(answered * (0.5 + ((n * 104_729) % 50) / 100));
  return {
    ...emptyScore(),
    points: correct,
    answered,
    correct,
    streak: correct % 7,
    bestStreak: 7,
    firstAnsweredAt: 1_700_000_000_000,
    lastAnsweredAt: 1_700_000_000_000 + n,
    reachedPointsAt: 1_700_000_000_000 + ((n * 31) % 100_000) + (n === 0 ? 200_000 : 0),
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
  const figures = await runSharedStoreBench((line) => console.log(line));
  if (figures.postgres === null)
    console.log('Skipped: set TEST_POSTGRES_URL (and TEST_REDIS_URL) to real servers.');
}
