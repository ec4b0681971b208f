// A member's place on a guild's leaderboard, as every backend's rankings return it.

import type { ScoreRecord } from '../quiz/scoring.js';

export interface RankedScore {
  userId: string;
  score: ScoreRecord;
  /** 1-based place in the guild's leaderboard (compareForLeaderboard order). */
  rank: number;
}
