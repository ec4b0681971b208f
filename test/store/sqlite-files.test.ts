// Store files stay what they were: Keyv's table as @keyv/sqlite writes it. A file written by
// @keyv/sqlite alone (an older bot) opens in the store, and a file the store wrote reads back
// through @keyv/sqlite; the leaderboard tables SQLite keeps beside the scores follow either writer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyAnswer, emptyScore, type ScoreRecord } from '../../src/quiz/scoring.js';
import { openStore, type QuizStore } from '../../src/store/index.js';
import { STORE_NAMESPACE, answerKey, metaKey, scoreKey } from '../../src/store/keys.js';

const GUILD = '100';

let folder: string;
let url: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'quizbot-files-'));
  url = `sqlite://${join(folder, 'quiz.sqlite')}`;
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Keyv over @keyv/sqlite, as the bot opened its store before it had its own adapter. */
function keyvSqlite(): Keyv {
  return new Keyv({ store: new KeyvSqlite(url), namespace: STORE_NAMESPACE });
}

function scored(answers: boolean[], start: number): ScoreRecord {
  return answers.reduce((score, correct, i) => applyAnswer(score, correct, start + i), emptyScore());
}

async function openQuiet(): Promise<QuizStore> {
  return openStore(url, { logger: { warn: vi.fn() } });
}

describe('GIVEN a store file written by @keyv/sqlite alone', () => {
  const values: Record<string, unknown> = {
    [metaKey('colon')]: ':base64:not a buffer',
    [metaKey('nested')]: { list: [1, 'two', { three: null }], flag: false },
    [answerKey(GUILD, 'alice', 'q:1')]: { choice: 2, correct: true, at: 5 },
  };
  const scores = {
    alice: scored([true, true, false], 1_000),
    bob: scored([true, true, true], 2_000),
    carol: scored([false], 3_000),
  };

  beforeEach(async () => {
    const old = keyvSqlite();
    for (const [key, value] of Object.entries(values)) await old.set(key, value);
    for (const [user, score] of Object.entries(scores)) await old.set(scoreKey(GUILD, user), score);
    await old.disconnect();
  });

  it('THEN the store reads every value and ranks the members already scored', async () => {
    const store = await openQuiet();
    for (const [key, value] of Object.entries(values)) expect(await store.kv.get(key)).toEqual(value);
    expect(await store.leaderboard(GUILD, 0, 10)).toEqual({
      entries: [
        { userId: 'bob', score: scores.bob, rank: 1 },
        { userId: 'alice', score: scores.alice, rank: 2 },
        { userId: 'carol', score: scores.carol, rank: 3 },
      ],
      total: 3,
    });
    expect(await store.getScore(GUILD, 'carol')).toEqual({ userId: 'carol', score: scores.carol, rank: 3 });
    expect(
      (
        await store.recordAnswer({
          guildId: GUILD,
          userId: 'alice',
          questionKey: 'q:1',
          choice: 0,
          correct: false,
          at: 9,
        })
      ).firstAnswer,
    ).toBe(false);
    await store.close();
  });

  it('WHEN @keyv/sqlite writes scores again after the store opened the file THEN the leaderboard follows them', async () => {
    await (await openQuiet()).close();

    const old = keyvSqlite();
    await old.set(scoreKey(GUILD, 'carol'), scored([true, true, true, true], 4_000));
    await old.set(scoreKey(GUILD, 'dave'), scored([true], 5_000));
    await old.delete(scoreKey(GUILD, 'bob'));
    await old.disconnect();

    const store = await openQuiet();
    const board = await store.leaderboard(GUILD, 0, 10);
    expect(board.total).toBe(3);
    expect(board.entries.map((entry) => [entry.userId, entry.rank])).toEqual([
      ['carol', 1],
      ['alice', 2],
      ['dave', 3],
    ]);
    expect(await store.getScore(GUILD, 'bob')).toBeNull();
    await store.close();
  });
});

it('GIVEN a store file the store wrote THEN @keyv/sqlite reads every value back', async () => {
  const store = await openQuiet();
  const outcome = await store.recordAnswer({
    guildId: GUILD,
    userId: 'alice',
    questionKey: 'lecture:0:1:abc',
    choice: 1,
    correct: true,
    at: 1_000,
  });
  await store.setMeta('colon', ':still a string');
  await store.kv.setAtomically([
    { key: metaKey('nested'), value: { text: 'a "b" \\ c', list: [1, null] } },
    { key: metaKey('bytes'), value: Buffer.from('raw') },
  ]);
  await store.close();

  const old = keyvSqlite();
  expect(await old.get(scoreKey(GUILD, 'alice'))).toEqual(outcome.score);
  expect(await old.get(answerKey(GUILD, 'alice', 'lecture:0:1:abc'))).toEqual({
    choice: 1,
    correct: true,
    at: 1_000,
  });
  expect(await old.get(metaKey('colon'))).toBe(':still a string');
  expect(await old.get(metaKey('nested'))).toEqual({ text: 'a "b" \\ c', list: [1, null] });
  expect(await old.get(metaKey('bytes'))).toEqual(Buffer.from('raw'));
  await old.disconnect();
});
