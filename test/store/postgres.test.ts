// What only a shared database can show: several bot processes' stores on one PostgreSQL (each
// openStore has its own pool, as each process would), an outage and the recovery after it, Redis
// leaderboards that went missing or fell behind, and the event step lock.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareForLeaderboard } from '../../src/quiz/scoring.js';
import { openStore, type AnswerInput, type OpenStoreOptions, type QuizStore } from '../../src/store/index.js';
import { StoreUnavailableError, isStoreUnavailable } from '../../src/store/unavailable.js';
import {
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  freshRedisPrefix,
  type TestDatabase,
} from '../support/servers.js';
import { TcpProxy, hostAndPort } from '../support/tcp-proxy.js';

const GUILD = '100';
const QUESTION = 'lecture-1:0:0:abc123';

let database: TestDatabase;
const opened: QuizStore[] = [];

async function open(url = database.url, options: OpenStoreOptions = {}): Promise<QuizStore> {
  const store = await openStore(url, { logger: { warn: vi.fn() }, ...options });
  opened.push(store);
  return store;
}

function answer(fields: Partial<AnswerInput> = {}): AnswerInput {
  return {
    guildId: GUILD,
    userId: 'alice',
    questionKey: QUESTION,
    choice: 1,
    correct: true,
    at: 1_000,
    ...fields,
  };
}

describe.skipIf(TEST_POSTGRES_URL === undefined)('PostgreSQL shared by several processes', () => {
  beforeAll(async () => {
    database = await createTestDatabase('shared');
  });
  afterAll(() => database.drop());
  beforeEach(() => database.clear());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
  });

  it('GIVEN 200 members each clicking the same question in two processes at once THEN each scores exactly once', async () => {
    const [a, b] = [await open(), await open()];
    const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const outcomes = await Promise.all(
      members.flatMap((userId) => [
        a.recordAnswer(answer({ userId, choice: 0, correct: true })),
        b.recordAnswer(answer({ userId, choice: 2, correct: false })),
      ]),
    );
    members.forEach((_, i) => {
      const pair = [outcomes[2 * i], outcomes[2 * i + 1]];
      const first = pair.filter((outcome) => outcome?.firstAnswer);
      expect(first).toHaveLength(1);
      // The other process's click is graded against the answer that won.
      const won = first[0]?.firstChoice;
      expect(pair.every((outcome) => outcome?.firstChoice === won)).toBe(true);
    });
    const board = await a.leaderboard(GUILD, 0, 500);
    expect(board.total).toBe(200);
    expect(board.entries.every((entry) => entry.score.answered === 1)).toBe(true);
  });

  it('GIVEN members answering two different questions in two processes at once THEN neither point is lost', async () => {
    const [a, b] = [await open(), await open()];
    const members = Array.from({ length: 150 }, (_, i) => `m${i}`);
    await Promise.all(
      members.flatMap((userId, i) => [
        a.recordAnswer(answer({ userId, questionKey: 'q:1', at: 1_000 + i })),
        b.recordAnswer(answer({ userId, questionKey: 'q:2', at: 1_000 + i })),
      ]),
    );
    for (const userId of members) {
      expect((await b.getScore(GUILD, userId))?.score).toMatchObject({ points: 2, answered: 2, streak: 2 });
    }
  });

  it('GIVEN the database unreachable THEN calls fail at once as unavailable, and after it returns everything works and nothing acknowledged is lost', async () => {
    const proxy = await TcpProxy.start(hostAndPort(database.url));
    try {
      const store = await open(proxy.via(database.url));
      const acknowledged = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.recordAnswer(answer({ userId: `m${i}` }))),
      );
      expect(acknowledged.every((outcome) => outcome.firstAnswer)).toBe(true);

      proxy.cut();
      const started = Date.now();
      const during = await Promise.allSettled([
        store.recordAnswer(answer({ userId: 'late' })),
        store.getScore(GUILD, 'm1'),
        store.leaderboard(GUILD, 0, 10),
        store.setMeta('x', 1),
        store.kv.getMany(['meta:x']),
      ]);
      expect(during.every((result) => result.status === 'rejected')).toBe(true);
      for (const result of during) {
        if (result.status === 'rejected') expect(isStoreUnavailable(result.reason)).toBe(true);
      }
      expect(during[0].status === 'rejected' && during[0].reason instanceof StoreUnavailableError).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);

      proxy.restore();
      const retried = await store.recordAnswer(answer({ userId: 'late' }));
      expect(retried.firstAnswer).toBe(true);
      const board = await store.leaderboard(GUILD, 0, 100);
      expect(board.total).toBe(51);
    } finally {
      await proxy.stop();
    }
  });

  it('GIVEN a database that cannot be reached at start THEN openStore names it, without the password', async () => {
    const url = new URL(database.url);
    url.port = '1';
    url.password = 'secret-password';
    const error = await openStore(url.toString(), { logger: { warn: vi.fn() } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toContain('cannot open the store at postgres://');
    expect(String(error)).not.toContain('secret-password');
  });

  it('GIVEN an event step running in one process THEN another process cannot run a step of that event until it is done', async () => {
    const [a, b] = [await open(), await open()];
    let release: (() => void) | undefined;
    const running = a.stepLocks.run(
      'event-1',
      () => new Promise<string>((resolve) => (release = () => resolve('a'))),
    );
    await vi.waitFor(() => expect(release).toBeDefined()); // a's step has started: it holds the lock
    expect(await b.stepLocks.run('event-1', () => Promise.resolve('b'))).toEqual({ ran: false });
    expect(await b.stepLocks.run('event-2', () => Promise.resolve('other event'))).toEqual({
      ran: true,
      value: 'other event',
    });
    release?.();
    expect(await running).toEqual({ ran: true, value: 'a' });
    expect(await b.stepLocks.run('event-1', () => Promise.resolve('b'))).toEqual({ ran: true, value: 'b' });
  });

  it('GIVEN the process holding a step lock dies THEN another process takes the event at once', async () => {
    const [a, b] = [await open(), await open()];
    let started = false;
    const held = a.stepLocks.run('event-1', () => {
      started = true;
      return new Promise<never>(() => undefined);
    });
    void held.catch(() => undefined);
    await vi.waitFor(() => expect(started).toBe(true));
    expect(await b.stepLocks.run('event-1', () => Promise.resolve(1))).toEqual({ ran: false });
    // As when its process is killed: the server ends the lock connection.
    const admin = new pg.Client(database.url);
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`,
    );
    await admin.end();
    await vi.waitFor(async () =>
      expect(await b.stepLocks.run('event-1', () => Promise.resolve(1))).toEqual({ ran: true, value: 1 }),
    );
  });
});

describe.skipIf(TEST_POSTGRES_URL === undefined || TEST_REDIS_URL === undefined)('Redis leaderboards', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    database = await createTestDatabase('redis');
    redis = new Redis(TEST_REDIS_URL ?? '');
  });
  afterAll(async () => {
    redis.disconnect();
    await database.drop();
  });
  beforeEach(async () => {
    await database.clear();
    prefix = freshRedisPrefix('lb');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
  });

  async function scoreSome(store: QuizStore, count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.recordAnswer(answer({ userId: `m${i}`, correct: i % 3 !== 0, at: 1_000 + (i % 7) })),
      ),
    );
  }

  function expectedOrder(store: QuizStore, count: number): Promise<string[]> {
    return store.leaderboard(GUILD, 0, count).then((page) => page.entries.map((entry) => entry.userId));
  }

  it('GIVEN scores written with Redis THEN the sorted set holds every member in leaderboard order', async () => {
    const store = await open(database.url, { redisUrl: TEST_REDIS_URL ?? null, redisPrefix: prefix });
    // As the bot does for its guilds at start: the set exists (empty, version 0) before any score.
    await store.warmLeaderboard(GUILD);
    await scoreSome(store, 60);
    const members = await redis.zrange(`${prefix}leaderboard:{${GUILD}}`, 0, -1);
    const page = await store.leaderboard(GUILD, 0, 100);
    const sorted = [...page.entries].sort(compareForLeaderboard).map((entry) => entry.userId);
    expect(members.map((member) => member.slice(48))).toEqual(sorted);
    expect(page.entries.map((entry) => entry.userId)).toEqual(sorted);
  });

  it('GIVEN Redis lost its sets THEN ranks are still right and the set is rebuilt from the database', async () => {
    const store = await open(database.url, { redisUrl: TEST_REDIS_URL ?? null, redisPrefix: prefix });
    await scoreSome(store, 80);
    const before = await store.leaderboard(GUILD, 0, 100);
    const rankOf = await store.getScore(GUILD, 'm40');
    await redis.del(`${prefix}leaderboard:{${GUILD}}`, `${prefix}leaderboard-version:{${GUILD}}`);

    expect(await store.leaderboard(GUILD, 0, 100)).toEqual(before);
    expect(await store.getScore(GUILD, 'm40')).toEqual(rankOf);
    await vi.waitFor(async () => expect(await redis.zcard(`${prefix}leaderboard:{${GUILD}}`)).toBe(80));
    expect(await store.leaderboard(GUILD, 0, 100)).toEqual(before);
  });

  it('GIVEN scores committed while Redis was unreachable THEN readers still see them, and Redis catches up', async () => {
    const redisDown = 'redis://127.0.0.1:1';
    const reader = await open(database.url, { redisUrl: TEST_REDIS_URL ?? null, redisPrefix: prefix });
    await scoreSome(reader, 30);
    expect((await reader.leaderboard(GUILD, 0, 1)).total).toBe(30);

    // Another process whose Redis connection is down: its commits bump the database's version only.
    const writer = await open(database.url, { redisUrl: redisDown, redisPrefix: prefix });
    await writer.recordAnswer(answer({ userId: 'newcomer', points: 50 }));
    await writer.recordAnswer(answer({ userId: 'm1', questionKey: 'q:extra', points: 20 }));

    const page = await reader.leaderboard(GUILD, 0, 3);
    expect(page.total).toBe(31);
    expect(page.entries.map((entry) => entry.userId).slice(0, 2)).toEqual(['newcomer', 'm1']);
    expect((await reader.getScore(GUILD, 'newcomer'))?.rank).toBe(1);
    await vi.waitFor(async () => expect(await redis.zcard(`${prefix}leaderboard:{${GUILD}}`)).toBe(31));
    expect(await expectedOrder(reader, 31)).toEqual(await expectedOrder(writer, 31));
  });

  it('GIVEN Redis unreachable for reads THEN leaderboards come from the database', async () => {
    const writer = await open(database.url, { redisUrl: TEST_REDIS_URL ?? null, redisPrefix: prefix });
    await scoreSome(writer, 20);
    const reader = await open(database.url, { redisUrl: 'redis://127.0.0.1:1', redisPrefix: prefix });
    expect(await reader.leaderboard(GUILD, 0, 20)).toEqual(await writer.leaderboard(GUILD, 0, 20));
    expect(await reader.getScore(GUILD, 'm3')).toEqual(await writer.getScore(GUILD, 'm3'));
  });
});
