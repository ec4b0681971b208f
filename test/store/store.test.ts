import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyAnswer, compareForLeaderboard, emptyScore, type ScoreRecord } from '../../src/quiz/scoring.js';
import { openStore, type AnswerInput, type OpenStoreOptions, type QuizStore } from '../../src/store/index.js';
import { allCases } from './backends.js';

const GUILD = '100';
const OTHER_GUILD = '200';
const QUESTION = 'lecture-1:0:abc123';

let folder: string;
let url: string;
let backendOptions: OpenStoreOptions = {};
const opened: QuizStore[] = [];

async function open(storeUrl = url, logger = { warn: vi.fn() }): Promise<QuizStore> {
  const store = await openStore(storeUrl, { logger, ...backendOptions });
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

function sqliteOf(store: QuizStore): KeyvSqliteAdapter {
  return store.keyv.store as KeyvSqliteAdapter;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

// The behaviour every backend must have, run against each one whose servers are there.
for (const backend of allCases('store')) {
  describe.skipIf(!backend.available)(`on ${backend.name}`, () => {
    beforeAll(() => backend.setup());
    afterAll(() => backend.teardown());
    beforeEach(async () => {
      ({ url, options: backendOptions } = await backend.fresh());
    });

    describe('recording answers', () => {
      it('GIVEN a first right answer THEN it scores one point and starts a streak', async () => {
        const store = await open();
        const outcome = await store.recordAnswer(answer());
        expect(outcome).toMatchObject({ firstAnswer: true, firstChoice: 1, firstCorrect: true });
        expect(outcome.score).toMatchObject({ points: 1, answered: 1, correct: 1, streak: 1, bestStreak: 1 });
        expect(await store.getAnswer(GUILD, 'alice', QUESTION)).toEqual({
          choice: 1,
          correct: true,
          at: 1_000,
        });
      });

      it('GIVEN a second click on the same question THEN it is graded against the first and the score is unchanged', async () => {
        const store = await open();
        const first = await store.recordAnswer(answer());
        const second = await store.recordAnswer(answer({ choice: 2, correct: false, at: 2_000 }));
        expect(second).toEqual({
          firstAnswer: false,
          firstChoice: 1,
          firstCorrect: true,
          score: first.score,
        });
        expect((await store.getScore(GUILD, 'alice'))?.score).toEqual(first.score);
      });

      it('GIVEN a wrong first answer THEN a right second answer changes nothing', async () => {
        const store = await open();
        await store.recordAnswer(answer({ choice: 3, correct: false }));
        const second = await store.recordAnswer(answer({ choice: 1, correct: true, at: 2_000 }));
        expect(second).toMatchObject({ firstAnswer: false, firstChoice: 3, firstCorrect: false });
        expect(second.score).toMatchObject({ points: 0, answered: 1, correct: 0, streak: 0 });
        expect(await store.getAnswer(GUILD, 'alice', QUESTION)).toEqual({
          choice: 3,
          correct: false,
          at: 1_000,
        });
      });

      it('GIVEN two clicks arriving at once THEN exactly one of them scores', async () => {
        const store = await open();
        const outcomes = await Promise.all([
          store.recordAnswer(answer({ choice: 1, correct: true })),
          store.recordAnswer(answer({ choice: 2, correct: false })),
        ]);
        expect(outcomes.filter((outcome) => outcome.firstAnswer)).toHaveLength(1);
        expect(outcomes[1]).toMatchObject({ firstAnswer: false, firstChoice: 1, firstCorrect: true });
        expect((await store.getScore(GUILD, 'alice'))?.score).toMatchObject({ points: 1, answered: 1 });
      });

      it('GIVEN twenty simultaneous clicks on one question THEN the user scores once', async () => {
        const store = await open();
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.recordAnswer(answer({ choice: i % 4, at: 1_000 + i }))),
        );
        expect(outcomes.filter((outcome) => outcome.firstAnswer)).toHaveLength(1);
        expect((await store.getScore(GUILD, 'alice'))?.score.answered).toBe(1);
      });

      it('GIVEN two users THEN each first answer scores for its own user', async () => {
        const store = await open();
        await Promise.all([
          store.recordAnswer(answer({ userId: 'alice', correct: true })),
          store.recordAnswer(answer({ userId: 'bob', correct: false, choice: 0 })),
        ]);
        expect((await store.getScore(GUILD, 'alice'))?.score.points).toBe(1);
        expect((await store.getScore(GUILD, 'bob'))?.score).toMatchObject({ points: 0, answered: 1 });
        expect(await store.getAnswer(GUILD, 'bob', QUESTION)).toMatchObject({ choice: 0, correct: false });
      });

      it('GIVEN the same user in two servers THEN the scores are kept apart', async () => {
        const store = await open();
        await store.recordAnswer(answer({ guildId: GUILD }));
        const elsewhere = await store.recordAnswer(answer({ guildId: OTHER_GUILD }));
        expect(elsewhere.firstAnswer).toBe(true);
        expect((await store.getScore(GUILD, 'alice'))?.score.points).toBe(1);
        expect((await store.getScore(OTHER_GUILD, 'alice'))?.score.points).toBe(1);
      });

      it('GIVEN question keys with colons THEN they never collide', async () => {
        const store = await open();
        await store.recordAnswer(answer({ questionKey: 'a:1' }));
        const other = await store.recordAnswer(answer({ questionKey: 'a:1:x', correct: false }));
        expect(other.firstAnswer).toBe(true);
        expect(await store.getAnswer(GUILD, 'alice', 'a')).toBeNull();
      });

      it('GIVEN an event answer worth more THEN that many points are added', async () => {
        const store = await open();
        const outcome = await store.recordAnswer(answer({ points: 5 }));
        expect(outcome.score.points).toBe(5);
      });

      it('GIVEN a streak of right answers broken by a wrong one THEN current and best streak are kept', async () => {
        const store = await open();
        const results = [true, true, true, false, true];
        for (const [i, correct] of results.entries()) {
          await store.recordAnswer(answer({ questionKey: `q:${i}`, correct, at: 1_000 + i }));
        }
        expect((await store.getScore(GUILD, 'alice'))?.score).toMatchObject({
          points: 4,
          answered: 5,
          streak: 1,
          bestStreak: 3,
        });
      });
    });

    describe('a crowd clicking at once', () => {
      it('GIVEN 300 members clicking twice in the same tick THEN each scores exactly once and all is stored', async () => {
        const store = await open();
        const users = Array.from({ length: 300 }, (_, i) => `u${i}`);
        const clicks = users.flatMap((userId, i) => [
          store.recordAnswer(answer({ userId, choice: i % 4, correct: i % 3 === 0, at: 1_000 + i })),
          store.recordAnswer(answer({ userId, choice: 3 - (i % 4), correct: true, at: 2_000 + i })),
        ]);
        const outcomes = await Promise.all(clicks);
        users.forEach((_, i) => {
          const [first, second] = [outcomes[2 * i], outcomes[2 * i + 1]];
          expect(first).toMatchObject({ firstAnswer: true, firstChoice: i % 4 });
          expect(second).toMatchObject({ firstAnswer: false, firstChoice: i % 4, score: first?.score });
        });
        await store.close();
        const reopened = await open();
        const board = await reopened.leaderboard(GUILD, 0, 1_000);
        expect(board.total).toBe(300);
        expect(board.entries.every((entry) => entry.score.answered === 1)).toBe(true);
        expect(board.entries.filter((entry) => entry.score.points === 1)).toHaveLength(100);
        expect(await reopened.getAnswer(GUILD, 'u7', QUESTION)).toEqual({
          choice: 3,
          correct: false,
          at: 1_007,
        });
      });
    });

    describe('leaderboard and ranks', () => {
      it('orders by points, then accuracy, then who reached the points first, and pages with a total', async () => {
        const store = await open();
        const play = async (userId: string, results: boolean[], startAt: number) => {
          for (const [i, correct] of results.entries()) {
            await store.recordAnswer(answer({ userId, questionKey: `q:${i}`, correct, at: startAt + i }));
          }
        };
        await play('carol', [true, true, true], 100); // 3 points
        await play('dave', [true, true, false], 200); // 2 points, 2/3
        await play('erin', [true, true], 300); // 2 points, 100%, reached at 301
        await play('frank', [true, true], 150); // 2 points, 100%, reached at 151: earlier than erin
        await play('gina', [false], 50); // 0 points

        const all = await store.leaderboard(GUILD, 0, 10);
        expect(all.total).toBe(5);
        expect(all.entries.map((e) => [e.rank, e.userId])).toEqual([
          [1, 'carol'],
          [2, 'frank'],
          [3, 'erin'],
          [4, 'dave'],
          [5, 'gina'],
        ]);

        const secondPage = await store.leaderboard(GUILD, 2, 2);
        expect(secondPage).toMatchObject({ total: 5 });
        expect(secondPage.entries.map((e) => [e.rank, e.userId])).toEqual([
          [3, 'erin'],
          [4, 'dave'],
        ]);
        expect((await store.leaderboard(GUILD, 10, 10)).entries).toEqual([]);
        expect(await store.leaderboard('999', 0, 10)).toEqual({ entries: [], total: 0 });
      });

      it('GIVEN new answers after the leaderboard was built THEN ranks follow them', async () => {
        const store = await open();
        await store.recordAnswer(answer({ userId: 'alice', questionKey: 'q:1', at: 10 }));
        await store.recordAnswer(answer({ userId: 'bob', questionKey: 'q:1', at: 20 }));
        expect((await store.getScore(GUILD, 'bob'))?.rank).toBe(2);

        await store.recordAnswer(answer({ userId: 'bob', questionKey: 'q:2', at: 30 }));
        expect((await store.getScore(GUILD, 'bob'))?.rank).toBe(1);
        expect((await store.getScore(GUILD, 'alice'))?.rank).toBe(2);

        await store.recordAnswer(answer({ userId: 'carol', questionKey: 'q:1', correct: false, at: 40 }));
        expect((await store.getScore(GUILD, 'carol'))?.rank).toBe(3);
        expect((await store.leaderboard(GUILD, 0, 10)).total).toBe(3);
      });

      it('GIVEN a user who never answered THEN there is no score', async () => {
        const store = await open();
        await store.recordAnswer(answer());
        expect(await store.getScore(GUILD, 'nobody')).toBeNull();
      });

      it('GIVEN a few thousand users THEN the kept index matches a full sort, before and after reopening', async () => {
        const store = await open();
        const expected = new Map<string, ScoreRecord>();
        const users = Array.from({ length: 3_000 }, (_, i) => `u${i}`);
        // Deterministic pseudo-random answers; some users answer more, some get things wrong.
        let seed = 42;
        const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;

        const round = async (round: number) => {
          await Promise.all(
            users.map(async (userId, i) => {
              if (random() < 0.3) return;
              const correct = random() < 0.7;
              const at = round * 10_000 + i;
              await store.recordAnswer(answer({ userId, questionKey: `q:${round}`, correct, at }));
              expected.set(userId, applyAnswer(expected.get(userId) ?? emptyScore(), correct, at));
            }),
          );
        };
        await round(0);
        await store.leaderboard(GUILD, 0, 10); // built here; the next rounds update it in place
        await round(1);
        await round(2);

        const fullSort = [...expected]
          .map(([userId, score]) => ({ userId, score }))
          .sort(compareForLeaderboard)
          .map((entry, i) => ({ ...entry, rank: i + 1 }));
        const kept = await store.leaderboard(GUILD, 0, users.length);
        expect(kept.total).toBe(fullSort.length);
        expect(kept.entries).toEqual(fullSort);

        const middle = fullSort[Math.floor(fullSort.length / 2)];
        expect(await store.getScore(GUILD, middle?.userId ?? '')).toEqual(middle);
        // Places among ties (equal points, equal accuracy) too: every 37th member, and the last.
        for (const entry of fullSort.filter((_, i) => i % 37 === 0 || i === fullSort.length - 1)) {
          expect(await store.getScore(GUILD, entry.userId)).toEqual(entry);
        }

        await store.close();
        const reopened = await open();
        expect((await reopened.leaderboard(GUILD, 0, users.length)).entries).toEqual(fullSort);
      });

      it('GIVEN answers written while the index is being built THEN none is lost', async () => {
        const store = await open();
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.recordAnswer(answer({ userId: `u${i}`, questionKey: 'q:0' })),
          ),
        );
        const racing = Array.from({ length: 200 }, (_, i) =>
          store.recordAnswer(
            answer({ userId: `u${i}`, questionKey: 'q:1', correct: i % 2 === 0, at: 5_000 + i }),
          ),
        );
        const built = store.leaderboard(GUILD, 0, 500);
        await Promise.all(racing);
        await built;

        const live = await store.leaderboard(GUILD, 0, 500);
        await store.close();
        const fromDisk = await (await open()).leaderboard(GUILD, 0, 500);
        expect(live).toEqual(fromDisk);
        expect(live.entries.filter((e) => e.score.points === 2)).toHaveLength(100);
      });
    });

    describe('persistence', () => {
      it('GIVEN the store is closed and reopened THEN scores, answers, ranks and meta are still there', async () => {
        const store = await open();
        await store.recordAnswer(answer({ userId: 'alice' }));
        await store.recordAnswer(answer({ userId: 'bob', correct: false, choice: 2 }));
        await store.setMeta('commandsHash', { hash: 'abc', at: 5 });
        const before = await store.leaderboard(GUILD, 0, 10);
        await store.close();

        const reopened = await open();
        expect(await reopened.leaderboard(GUILD, 0, 10)).toEqual(before);
        expect(await reopened.getAnswer(GUILD, 'bob', QUESTION)).toEqual({
          choice: 2,
          correct: false,
          at: 1_000,
        });
        expect(await reopened.getMeta('commandsHash')).toEqual({ hash: 'abc', at: 5 });
        const again = await reopened.recordAnswer(answer({ userId: 'alice', choice: 3 }));
        expect(again).toMatchObject({ firstAnswer: false, firstChoice: 1 });
      });

      it('GIVEN answers still being written THEN close waits for them and they are on disk', async () => {
        const store = await open();
        const pending = Array.from({ length: 10 }, (_, i) => store.recordAnswer(answer({ userId: `u${i}` })));
        await store.close();
        expect((await Promise.all(pending)).every((outcome) => outcome.firstAnswer)).toBe(true);
        expect((await (await open()).leaderboard(GUILD, 0, 10)).total).toBe(10);
      });

      it('GIVEN other features THEN they can keep their own records in the shared Keyv', async () => {
        const store = await open();
        await store.keyv.set('event:42', { title: 'Friday quiz' });
        expect(await store.keyv.get('event:42')).toEqual({ title: 'Friday quiz' });
        expect(await store.leaderboard(GUILD, 0, 10)).toEqual({ entries: [], total: 0 });
      });
    });

    describe('key-values for other features', () => {
      it('GIVEN records under a prefix THEN a prefix read returns exactly them, in key order', async () => {
        const store = await open();
        await store.kv.setAtomically([
          { key: 'feature:g1:b', value: { n: 2 } },
          { key: 'feature:g1:a', value: { n: 1, text: 'é "quoted" ✓' } },
          { key: 'feature:g10:x', value: { n: 3 } },
          { key: 'feature:g1;', value: { n: 4 } },
          { key: 'feature:g1', value: { n: 5 } },
        ]);
        expect(await store.kv.getByPrefix('feature:g1:')).toEqual([
          { suffix: 'a', value: { n: 1, text: 'é "quoted" ✓' } },
          { suffix: 'b', value: { n: 2 } },
        ]);
        expect(await store.kv.getByPrefix('nothing:')).toEqual([]);
      });

      it('GIVEN get, getMany, set and delete THEN they read and write what Keyv does', async () => {
        const store = await open();
        await store.kv.set('feature:one', [1, 'two']);
        await store.keyv.set('feature:two', { via: 'keyv' });
        expect(await store.kv.get('feature:one')).toEqual([1, 'two']);
        expect(await store.keyv.get('feature:one')).toEqual([1, 'two']);
        expect(await store.kv.getMany(['feature:two', 'feature:none', 'feature:one'])).toEqual([
          { via: 'keyv' },
          undefined,
          [1, 'two'],
        ]);
        expect(await store.kv.delete('feature:one')).toBe(true);
        expect(await store.kv.delete('feature:one')).toBe(false);
        expect(await store.kv.get('feature:one')).toBeUndefined();
      });

      it('GIVEN two atomic writes of one key in the same turn THEN the later one is kept', async () => {
        const store = await open();
        await Promise.all([
          store.kv.setAtomically([
            { key: 'feature:k', value: 1 },
            { key: 'feature:a', value: 'a' },
          ]),
          store.kv.setAtomically([
            { key: 'feature:k', value: 2 },
            { key: 'feature:b', value: 'b' },
          ]),
        ]);
        expect(await store.kv.getMany(['feature:k', 'feature:a', 'feature:b'])).toEqual([2, 'a', 'b']);
      });
    });

    describe('errors', () => {
      it.each([
        ['a guild id with a colon', answer({ guildId: 'a:b' })],
        ['an empty user id', answer({ userId: '' })],
        ['an empty question key', answer({ questionKey: '' })],
        ['a negative choice', answer({ choice: -1 })],
        ['negative points', answer({ points: -2 })],
      ])('GIVEN %s THEN recordAnswer rejects and records nothing', async (_, input) => {
        const store = await open();
        await expect(store.recordAnswer(input)).rejects.toThrow();
        expect(await store.leaderboard(GUILD, 0, 10)).toEqual({ entries: [], total: 0 });
      });

      it('GIVEN a closed store THEN calls reject instead of throwing', async () => {
        const store = await open();
        await store.close();
        await expect(store.recordAnswer(answer())).rejects.toThrow(/closed/);
        await expect(store.getMeta('x')).rejects.toThrow(/closed/);
      });
    });
  });
}

// SQLite's own: batching into few statements, file settings, and failures of the file.
describe('SQLite', () => {
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'quizbot-store-'));
    url = `sqlite://${join(folder, 'quiz.sqlite')}`;
    backendOptions = {};
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(folder, { recursive: true, force: true });
  });

  describe('a crowd clicking at once', () => {
    /** Counts the statements the store sends, by their first word. */
    function countStatements(store: QuizStore): Record<string, number> {
      const sqlite = sqliteOf(store);
      const query = sqlite.query;
      const counts: Record<string, number> = {};
      vi.spyOn(sqlite, 'query').mockImplementation((sql, ...params) => {
        const verb = sql.split(' ')[0] ?? '';
        counts[verb] = (counts[verb] ?? 0) + 1;
        return query(sql, ...params);
      });
      return counts;
    }

    it('GIVEN 300 members clicking twice in the same tick THEN each scores exactly once, in a few statements, and all is on disk', async () => {
      const store = await open();
      const counts = countStatements(store);
      const users = Array.from({ length: 300 }, (_, i) => `u${i}`);
      const clicks = users.flatMap((userId, i) => [
        store.recordAnswer(answer({ userId, choice: i % 4, correct: i % 3 === 0, at: 1_000 + i })),
        store.recordAnswer(answer({ userId, choice: 3 - (i % 4), correct: true, at: 2_000 + i })),
      ]);
      const outcomes = await Promise.all(clicks);

      users.forEach((_, i) => {
        const [first, second] = [outcomes[2 * i], outcomes[2 * i + 1]];
        expect(first).toMatchObject({ firstAnswer: true, firstChoice: i % 4 });
        expect(second).toMatchObject({ firstAnswer: false, firstChoice: i % 4, score: first?.score });
      });
      // 1,200 reads and 300 atomic writes: far fewer statements than one per read and write.
      expect((counts.SELECT ?? 0) + (counts.INSERT ?? 0)).toBeLessThan(20);
      vi.restoreAllMocks();

      await store.close();
      const reopened = await open();
      const board = await reopened.leaderboard(GUILD, 0, 1_000);
      expect(board.total).toBe(300);
      expect(board.entries.every((entry) => entry.score.answered === 1)).toBe(true);
      expect(board.entries.filter((entry) => entry.score.points === 1)).toHaveLength(100);
      expect(await reopened.getAnswer(GUILD, 'u7', QUESTION)).toEqual({
        choice: 3,
        correct: false,
        at: 1_007,
      });
    });

    it('GIVEN the batched write fails THEN every click in it rejects, none is recorded, and the clicks can be retried', async () => {
      const store = await open();
      const sqlite = sqliteOf(store);
      const query = sqlite.query;
      const write = vi
        .spyOn(sqlite, 'query')
        .mockImplementation((sql, ...params) =>
          sql.startsWith('INSERT') ? Promise.reject(new Error('disk I/O error')) : query(sql, ...params),
        );
      const users = Array.from({ length: 50 }, (_, i) => `u${i}`);
      const settled = await Promise.allSettled(users.map((userId) => store.recordAnswer(answer({ userId }))));
      expect(settled.every((result) => result.status === 'rejected')).toBe(true);
      expect(settled[0]).toMatchObject({ reason: new Error('disk I/O error') });
      expect(write.mock.calls.filter(([sql]) => sql.startsWith('INSERT'))).toHaveLength(1); // one batch
      write.mockRestore();

      expect(await store.leaderboard(GUILD, 0, 100)).toEqual({ entries: [], total: 0 });
      const retried = await Promise.all(users.map((userId) => store.recordAnswer(answer({ userId }))));
      expect(retried.every((outcome) => outcome.firstAnswer && outcome.score.points === 1)).toBe(true);
      expect((await store.leaderboard(GUILD, 0, 100)).total).toBe(50);
    });

    it('GIVEN the database closed underneath THEN every click of the batch rejects', async () => {
      const store = await open();
      await sqliteOf(store).close();
      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.recordAnswer(answer({ userId: `u${i}` }))),
      );
      expect(settled.every((result) => result.status === 'rejected')).toBe(true);
      opened.splice(opened.indexOf(store), 1); // already closed underneath: afterEach's close would throw
    });
  });

  describe('persistence in a file', () => {
    it('GIVEN a file store THEN SQLite runs in WAL mode with NORMAL sync and a busy timeout', async () => {
      const store = await open();
      await store.recordAnswer(answer());
      const sqlite = sqliteOf(store);
      expect(await sqlite.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await sqlite.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]); // 1 = NORMAL
      expect(await sqlite.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5_000 }]);
      expect(existsSync(`${url.slice('sqlite://'.length)}-wal`)).toBe(true);
    });

    it('GIVEN a path whose folders do not exist yet THEN they are created on first start', async () => {
      const path = join(folder, 'data', 'nested', 'quizbot.sqlite');
      const store = await open(`sqlite://${path}`);
      await store.recordAnswer(answer());
      expect(existsSync(path)).toBe(true);
    });

    it('GIVEN an in-memory store THEN it works without a file', async () => {
      const store = await open('sqlite://:memory:');
      expect((await store.recordAnswer(answer())).firstAnswer).toBe(true);
      expect((await store.getScore(GUILD, 'alice'))?.rank).toBe(1);
    });
  });

  describe('SQLite errors', () => {
    it('GIVEN the database fails underneath THEN calls reject and the error is logged', async () => {
      const logger = { warn: vi.fn() };
      const store = await open(url, logger);
      await sqliteOf(store).close();
      await expect(store.recordAnswer(answer())).rejects.toThrow();
      await expect(store.setMeta('x', 1)).rejects.toThrow();
      expect(logger.warn).toHaveBeenCalled();
      await expect(store.close()).resolves.toBeUndefined(); // closed underneath already: nothing left to do
    });

    it('GIVEN a database path that cannot be opened THEN openStore rejects', async () => {
      // The temp folder itself is a directory, not a database file.
      await expect(openStore(`sqlite://${folder}`, { logger: { warn: vi.fn() } })).rejects.toThrow();
    });
  });
});
