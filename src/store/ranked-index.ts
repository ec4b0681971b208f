// One guild's users kept in leaderboard order, so a rank is a binary search and a page is a
// slice, whatever the guild's size. An update moves one entry by shifting only the entries
// between its old and new place (usually a few: a point moves a user past their neighbours).

import { compareForLeaderboard, type ScoreRecord, type ScoredUser } from '../quiz/scoring.js';

export interface RankedScore {
  userId: string;
  score: ScoreRecord;
  /** 1-based place in the guild's leaderboard. */
  rank: number;
}

export class RankedIndex {
  /** Best first, in `compareForLeaderboard` order (a total order: no two entries compare equal). */
  private readonly sorted: ScoredUser[];
  private readonly byUser: Map<string, ScoredUser>;

  /** Entries come in frozen: a score changed in place would silently break the order. */
  private constructor(sorted: ScoredUser[]) {
    this.sorted = sorted;
    this.byUser = new Map(sorted.map((entry) => [entry.userId, entry]));
  }

  /** Builds the index with one sort; later duplicates of a user replace earlier ones. */
  static from(entries: Iterable<ScoredUser>): RankedIndex {
    const latest = new Map<string, ScoredUser>();
    for (const entry of entries) latest.set(entry.userId, freezeEntry(entry.userId, entry.score));
    return new RankedIndex([...latest.values()].sort(compareForLeaderboard));
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Inserts a new user or moves an existing one to the place its new score earns. */
  upsert(userId: string, score: ScoreRecord): void {
    const entry = freezeEntry(userId, score);
    const previous = this.byUser.get(userId);
    this.byUser.set(userId, entry);
    if (previous === undefined) {
      this.sorted.splice(this.lowerBound(entry), 0, entry);
      return;
    }
    const from = this.positionOf(previous);
    let to = this.lowerBound(entry);
    // `to` was computed with the old entry still in place; past it, every index is one too high.
    if (to > from) to -= 1;
    if (from < to) this.sorted.copyWithin(from, from + 1, to + 1);
    else if (to < from) this.sorted.copyWithin(to + 1, to, from);
    this.sorted[to] = entry;
  }

  get(userId: string): RankedScore | null {
    const entry = this.byUser.get(userId);
    if (entry === undefined) return null;
    return { userId, score: entry.score, rank: this.positionOf(entry) + 1 };
  }

  /** Up to `limit` entries starting at the 0-based `offset`. */
  page(offset: number, limit: number): RankedScore[] {
    return this.sorted
      .slice(offset, offset + limit)
      .map((entry, i) => ({ userId: entry.userId, score: entry.score, rank: offset + i + 1 }));
  }

  /** First position whose entry does not come before `entry`. */
  private lowerBound(entry: ScoredUser): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const here = this.sorted[middle];
      if (here !== undefined && compareForLeaderboard(here, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private positionOf(entry: ScoredUser): number {
    const position = this.lowerBound(entry);
    if (this.sorted[position] !== entry) {
      // Unreachable while entries stay frozen; fail loudly rather than rank someone wrongly.
      throw new Error(`ranked index out of order for user ${entry.userId}`);
    }
    return position;
  }
}

function freezeEntry(userId: string, score: ScoreRecord): ScoredUser {
  return Object.freeze({ userId, score: Object.freeze(score) });
}
