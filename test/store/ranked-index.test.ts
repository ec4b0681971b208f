import { describe, expect, it } from 'vitest';
import { compareForLeaderboard, emptyScore, type ScoreRecord } from '../../src/quiz/scoring.js';
import { RankedIndex } from '../../src/store/ranked-index.js';

function score(points: number, answered: number, reachedPointsAt: number): ScoreRecord {
  return { ...emptyScore(), points, answered, correct: Math.min(points, answered), reachedPointsAt };
}

function fullSort(scores: Map<string, ScoreRecord>) {
  return [...scores]
    .map(([userId, record]) => ({ userId, score: record }))
    .sort(compareForLeaderboard)
    .map((entry, i) => ({ ...entry, rank: i + 1 }));
}

describe('RankedIndex', () => {
  it('GIVEN random inserts and moves up and down THEN it always equals a full sort', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const truth = new Map<string, ScoreRecord>();
    const index = RankedIndex.from([]);
    for (let step = 0; step < 3_000; step++) {
      const userId = `u${random(300)}`;
      // Small ranges make many exact ties, so every tie-break rule is exercised.
      const record = score(random(6), 6 + random(3), random(4));
      truth.set(userId, record);
      index.upsert(userId, record);
      if (step % 250 === 0) expect(index.page(0, truth.size)).toEqual(fullSort(truth));
    }
    expect(index.page(0, truth.size)).toEqual(fullSort(truth));
    for (const entry of fullSort(truth)) expect(index.get(entry.userId)).toEqual(entry);
  });

  it('GIVEN an unchanged score THEN the user keeps their place', () => {
    const index = RankedIndex.from([
      { userId: 'a', score: score(2, 2, 1) },
      { userId: 'b', score: score(1, 1, 1) },
    ]);
    index.upsert('a', score(2, 2, 1));
    expect(index.page(0, 2).map((e) => e.userId)).toEqual(['a', 'b']);
  });

  it('pages from an offset with 1-based ranks and stops at the end', () => {
    const index = RankedIndex.from(
      ['a', 'b', 'c'].map((userId, i) => ({ userId, score: score(3 - i, 3, 0) })),
    );
    expect(index.page(1, 5)).toMatchObject([
      { userId: 'b', rank: 2 },
      { userId: 'c', rank: 3 },
    ]);
    expect(index.get('zed')).toBeNull();
  });
});
