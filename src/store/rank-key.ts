// A member's leaderboard place as one string whose byte order is compareForLeaderboard's order
// (src/quiz/scoring.ts): points (more first), accuracy (higher first), reachedPointsAt (earlier
// first), then the user id. So "rank" is a count of smaller keys in an index (PostgreSQL, C
// collation) and a ZRANK among equal scores in a Redis sorted set (lexicographic order).
//
// Layout: 16 hex digits each for points (inverted), accuracy (inverted) and reachedPointsAt, then
// the user id. Each number is its IEEE-754 double mapped to an unsigned 64-bit integer that sorts
// as the doubles do; accuracy is the same division compareForLeaderboard makes, so equal fractions
// (2/3 and 4/6) give equal keys.

import { accuracy, type ScoreRecord } from '../quiz/scoring.js';

const NUMBER_DIGITS = 16;
/** How long pointsKey is. */
export const POINTS_KEY_LENGTH = NUMBER_DIGITS;
/** Where the user id starts. */
export const RANK_KEY_USER_OFFSET = 3 * NUMBER_DIGITS;
const ALL_BITS = (1n << 64n) - 1n;
const SIGN_BIT = 1n << 63n;

export function rankKey(userId: string, score: ScoreRecord): string {
  return (
    hex(ALL_BITS ^ sortableBits(score.points)) +
    hex(ALL_BITS ^ sortableBits(accuracy(score))) +
    hex(sortableBits(score.reachedPointsAt)) +
    userId
  );
}

/** The leading part of a rank key that only the points decide: members with equal points share it. */
export function pointsKey(key: string): string {
  return key.slice(0, NUMBER_DIGITS);
}

/** The user id a rank key ends with. */
export function userOfRankKey(key: string): string {
  return key.slice(RANK_KEY_USER_OFFSET);
}

const view = new DataView(new ArrayBuffer(8));

/** An unsigned integer that orders as `value` does among finite doubles (-0 counts as 0). */
function sortableBits(value: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`a leaderboard number must be finite, got ${value}`);
  view.setFloat64(0, value === 0 ? 0 : value);
  const bits = view.getBigUint64(0);
  // Negative doubles sort backwards by their bits: invert them all; positive ones just move above.
  return (bits & SIGN_BIT) !== 0n ? ALL_BITS ^ bits : bits | SIGN_BIT;
}

function hex(bits: bigint): string {
  return bits.toString(16).padStart(NUMBER_DIGITS, '0');
}
