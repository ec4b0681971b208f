import { describe, expect, it } from 'vitest';
import { applyAnswer, compareForLeaderboard, emptyScore, type ScoredUser } from '../../src/quiz/scoring.js';
import { rankKey, userOfRankKey } from '../../src/store/rank-key.js';

/** Byte order, as PostgreSQL's C collation and Redis's lexicographic ranges compare. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function player(userId: string, results: boolean[], startAt: number, points = 1): ScoredUser {
  let score = emptyScore();
  results.forEach((correct, i) => (score = applyAnswer(score, correct, startAt + i, points)));
  return { userId, score };
}

describe('rank keys', () => {
  it('GIVEN ties on points, on accuracy (2/3 against 4/6) and on time THEN byte order of the keys is the leaderboard order', () => {
    const players = [
      player('b', [true, true, false], 100), // 2 points, 2/3
      player('a', [true, true, false, true, true, false], 100), // 4 points
      player('c', [true, false, true, true, false, true], 50), // 4 points, 4/6, earlier
      player('d', [true, true, false], 100), // ties b except the id
      player('e', [true, true], 100), // 2 points, 100%
      player('f', [false], 10), // 0 points
      player('g', [false, false], 5), // 0 points, 0%
      player('h', [true], 1_800_000_000_000, 2.5), // fractional event points
      player('10', [true], 100),
      player('9', [true], 100), // '10' < '9' as strings, as compareIds has it
    ];
    const expected = [...players].sort(compareForLeaderboard).map((p) => p.userId);
    const byKey = [...players]
      .map((p) => rankKey(p.userId, p.score))
      .sort(byBytes)
      .map(userOfRankKey);
    expect(byKey).toEqual(expected);
  });

  it('GIVEN 5,000 pseudo-random players THEN sorting their keys gives exactly the leaderboard order', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const players = Array.from({ length: 5_000 }, (_, i) => {
      const results = Array.from({ length: 1 + Math.floor(random() * 6) }, () => random() < 0.6);
      return player(
        `${100_000_000_000_000_000 + Math.floor(random() * 1e6)}${i}`,
        results,
        Math.floor(random() * 50),
      );
    });
    const expected = [...players].sort(compareForLeaderboard).map((p) => p.userId);
    const byKey = players
      .map((p) => rankKey(p.userId, p.score))
      .sort(byBytes)
      .map(userOfRankKey);
    expect(byKey).toEqual(expected);
  });

  it('GIVEN a score that is not finite THEN no key is made', () => {
    expect(() => rankKey('a', { ...emptyScore(), points: Number.NaN })).toThrow(RangeError);
  });
});
