// Per-user score arithmetic and leaderboard ordering. Pure: no discord.js, no I/O, no clock.

export interface ScoreRecord {
  points: number;
  /** Questions answered (first answers only: later clicks never reach the score). */
  answered: number;
  correct: number;
  /** Correct first answers in a row, ended by a wrong one. */
  streak: number;
  bestStreak: number;
  /** Epoch milliseconds; 0 until the first answer. */
  firstAnsweredAt: number;
  lastAnsweredAt: number;
  /**
   * When `points` last increased (or the first answer, while still at 0 points): among equal
   * points and accuracy, the user who got there first ranks higher.
   */
  reachedPointsAt: number;
}

export interface ScoredUser {
  userId: string;
  score: ScoreRecord;
}

export const DEFAULT_POINTS = 1;

export function emptyScore(): ScoreRecord {
  return {
    points: 0,
    answered: 0,
    correct: 0,
    streak: 0,
    bestStreak: 0,
    firstAnsweredAt: 0,
    lastAnsweredAt: 0,
    reachedPointsAt: 0,
  };
}

/**
 * The score after one more first answer. A right answer adds `points` (1 for lecture questions;
 * quiz events may award more) and extends the streak; a wrong one resets the streak.
 */
export function applyAnswer(
  score: ScoreRecord,
  correct: boolean,
  at: number,
  points: number = DEFAULT_POINTS,
): ScoreRecord {
  if (!Number.isFinite(points) || points < 0) {
    throw new RangeError(`points must be a finite number >= 0, got ${points}`);
  }
  if (!Number.isFinite(at)) throw new RangeError(`at must be a finite timestamp, got ${at}`);

  const isFirst = score.answered === 0;
  const gained = correct ? points : 0;
  const streak = correct ? score.streak + 1 : 0;
  return {
    points: score.points + gained,
    answered: score.answered + 1,
    correct: score.correct + (correct ? 1 : 0),
    streak,
    bestStreak: Math.max(score.bestStreak, streak),
    firstAnsweredAt: isFirst ? at : score.firstAnsweredAt,
    lastAnsweredAt: at,
    reachedPointsAt: gained > 0 || isFirst ? at : score.reachedPointsAt,
  };
}

/** Share of answered questions that were right, 0..1; 0 before any answer. */
export function accuracy(score: ScoreRecord): number {
  return score.answered === 0 ? 0 : score.correct / score.answered;
}

/**
 * Leaderboard order, best first: points, then accuracy, then who reached those points first,
 * then user id so that the order is total (every user has exactly one place).
 */
export function compareForLeaderboard(a: ScoredUser, b: ScoredUser): number {
  return (
    b.score.points - a.score.points ||
    // Equal fractions divide to the same double, so 2/3 and 4/6 tie as they should.
    accuracy(b.score) - accuracy(a.score) ||
    a.score.reachedPointsAt - b.score.reachedPointsAt ||
    compareIds(a.userId, b.userId)
  );
}

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
