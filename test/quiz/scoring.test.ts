import { describe, expect, it } from 'vitest';
import {
  accuracy,
  applyAnswer,
  compareForLeaderboard,
  emptyScore,
  type ScoreRecord,
} from '../../src/quiz/scoring.js';

/** Applies answers in order, one second apart starting at t=1000. */
function play(answers: boolean[], points?: number): ScoreRecord {
  return answers.reduce(
    (score, correct, i) => applyAnswer(score, correct, 1000 + i * 1000, points),
    emptyScore(),
  );
}

const R = true;
const W = false;

describe('applyAnswer', () => {
  it.each([
    { answers: [], points: 0, streak: 0, best: 0 },
    { answers: [R], points: 1, streak: 1, best: 1 },
    { answers: [W], points: 0, streak: 0, best: 0 },
    { answers: [R, R, R], points: 3, streak: 3, best: 3 },
    { answers: [R, R, W], points: 2, streak: 0, best: 2 },
    { answers: [R, R, W, R], points: 3, streak: 1, best: 2 },
    { answers: [R, W, R, R, R, W, R], points: 5, streak: 1, best: 3 },
  ])(
    'answers $answers give $points points, streak $streak, best $best',
    ({ answers, points, streak, best }) => {
      const score = play(answers);
      expect(score).toMatchObject({
        points,
        streak,
        bestStreak: best,
        answered: answers.length,
        correct: points,
      });
    },
  );

  it('returns a new record and leaves the old one untouched', () => {
    const before = emptyScore();
    const after = applyAnswer(before, true, 5);
    expect(after).not.toBe(before);
    expect(before).toEqual(emptyScore());
  });

  it('awards the given points for a right answer (quiz events) and none for a wrong one', () => {
    expect(applyAnswer(emptyScore(), true, 1, 5).points).toBe(5);
    expect(applyAnswer(emptyScore(), false, 1, 5).points).toBe(0);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s points', (points) => {
    expect(() => applyAnswer(emptyScore(), true, 1, points)).toThrow(RangeError);
  });

  it('remembers the first and last answer times', () => {
    const score = play([W, R, W]);
    expect(score.firstAnsweredAt).toBe(1000);
    expect(score.lastAnsweredAt).toBe(3000);
  });

  it.each([
    { answers: [R, R, W, W], reachedAt: 2000, why: 'the last point came at the 2nd answer' },
    { answers: [W, W], reachedAt: 1000, why: 'a user still at 0 points got there with their 1st answer' },
    { answers: [W, R, W], reachedAt: 2000, why: 'wrong answers never move it' },
  ])('reachedPointsAt is $reachedAt when $why', ({ answers, reachedAt }) => {
    expect(play(answers).reachedPointsAt).toBe(reachedAt);
  });

  it('does not move reachedPointsAt for a right answer worth 0 points', () => {
    const score = applyAnswer(play([R]), true, 9000, 0);
    expect(score.reachedPointsAt).toBe(1000);
    expect(score.streak).toBe(2);
  });
});

describe('accuracy', () => {
  it.each([
    { answers: [], expected: 0 },
    { answers: [R], expected: 1 },
    { answers: [W], expected: 0 },
    { answers: [R, W], expected: 0.5 },
    { answers: [R, R, W], expected: 2 / 3 },
  ])('is $expected for answers $answers', ({ answers, expected }) => {
    expect(accuracy(play(answers))).toBeCloseTo(expected, 12);
  });
});

describe('compareForLeaderboard', () => {
  const user = (userId: string, fields: Partial<ScoreRecord>) => ({
    userId,
    score: { ...emptyScore(), ...fields },
  });

  it.each([
    {
      rule: 'more points first',
      first: user('b', { points: 3, answered: 10, correct: 3 }),
      second: user('a', { points: 2, answered: 2, correct: 2 }),
    },
    {
      rule: 'equal points: higher accuracy first',
      first: user('b', { points: 2, answered: 2, correct: 2, reachedPointsAt: 50 }),
      second: user('a', { points: 2, answered: 4, correct: 2, reachedPointsAt: 10 }),
    },
    {
      rule: 'equal points and accuracy: who reached the points earliest first',
      first: user('b', { points: 2, answered: 3, correct: 2, reachedPointsAt: 10 }),
      second: user('a', { points: 2, answered: 3, correct: 2, reachedPointsAt: 20 }),
    },
    {
      rule: 'equal accuracy as different fractions (2/3 and 4/6) still falls through to time',
      first: user('b', { points: 4, answered: 6, correct: 4, reachedPointsAt: 10 }),
      second: user('a', { points: 4, answered: 6, correct: 4, reachedPointsAt: 20 }),
    },
    {
      rule: 'everything equal: user id decides, so the order is total',
      first: user('a', { points: 1, answered: 1, correct: 1, reachedPointsAt: 10 }),
      second: user('b', { points: 1, answered: 1, correct: 1, reachedPointsAt: 10 }),
    },
  ])('$rule', ({ first, second }) => {
    expect(compareForLeaderboard(first, second)).toBeLessThan(0);
    expect(compareForLeaderboard(second, first)).toBeGreaterThan(0);
  });

  it('ties 2/3 and 4/6 on accuracy', () => {
    const twoThirds = user('a', { points: 5, answered: 3, correct: 2, reachedPointsAt: 1 });
    const fourSixths = user('b', { points: 5, answered: 6, correct: 4, reachedPointsAt: 1 });
    // Only the user id separates them.
    expect(compareForLeaderboard(twoThirds, fourSixths)).toBeLessThan(0);
    expect(compareForLeaderboard({ ...fourSixths, userId: 'a' }, twoThirds)).toBe(0);
  });

  it('sorts a mixed list into the documented order', () => {
    const users = [
      user('late', { points: 2, answered: 2, correct: 2, reachedPointsAt: 30 }),
      user('top', { points: 5, answered: 9, correct: 5, reachedPointsAt: 99 }),
      user('sloppy', { points: 2, answered: 5, correct: 2, reachedPointsAt: 1 }),
      user('early', { points: 2, answered: 2, correct: 2, reachedPointsAt: 10 }),
      user('zero', { points: 0, answered: 3, correct: 0, reachedPointsAt: 1 }),
    ];
    expect(users.sort(compareForLeaderboard).map((u) => u.userId)).toEqual([
      'top',
      'early',
      'late',
      'sloppy',
      'zero',
    ]);
  });
});
