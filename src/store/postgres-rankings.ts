// Leaderboards on PostgreSQL without Redis: an index of rank keys (rank-key.ts) per guild, kept in
// the same transaction as the scores (postgres-answers.ts). A page is an index range; a member's
// place is a count of the smaller keys, an index-only scan. Nothing is held in memory, so the
// first request after a restart costs what every other does.

import type { ScoreRecord } from '../quiz/scoring.js';
import type { Rankings } from './backend.js';
import { guildScorePrefix } from './keys.js';
import {
  KEYV_TABLE,
  LEADERBOARD_GUILDS_TABLE,
  LEADERBOARD_POINTS_TABLE,
  LEADERBOARD_TABLE,
  type PgTable,
} from './postgres.js';
import type { RankedScore } from './ranked-index.js';
import { POINTS_KEY_LENGTH, rankKey } from './rank-key.js';
import { parseScoreRecord } from './sqlite-backend.js';

export interface MemberRow {
  score: ScoreRecord;
  rankKey: string;
  /** The guild's leaderboard version (0 when none was kept). */
  version: number;
}

export class PostgresRankings implements Rankings {
  constructor(private readonly table: PgTable) {}

  async rank(guildId: string, userId: string): Promise<RankedScore | null> {
    const rows = await this.table.query<{ value: string; better: string }>(
      // Members with more points (their buckets), then those ahead within the member's own points.
      `SELECT k.value,
              (SELECT COALESCE(sum(p.members), 0) FROM ${LEADERBOARD_POINTS_TABLE} p
                WHERE p.guild_id = l.guild_id AND p.points_key < substr(l.rank_key, 1, ${POINTS_KEY_LENGTH}))
            + (SELECT count(*) FROM ${LEADERBOARD_TABLE} b
                WHERE b.guild_id = l.guild_id AND b.rank_key < l.rank_key
                  AND b.rank_key >= substr(l.rank_key, 1, ${POINTS_KEY_LENGTH})) AS better
         FROM ${LEADERBOARD_TABLE} l JOIN ${KEYV_TABLE} k ON k.key = $3
        WHERE l.guild_id = $1 AND l.user_id = $2`,
      [guildId, userId, this.scoreKey(guildId, userId)],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return { userId, score: this.score(row.value), rank: Number(row.better) + 1 };
  }

  async page(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }> {
    const rows = await this.table.query<{
      total: string | null;
      user_id: string | null;
      value: string | null;
    }>(
      `SELECT (SELECT members FROM ${LEADERBOARD_GUILDS_TABLE} WHERE guild_id = $1) AS total, p.user_id, p.value
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (
           SELECT l.user_id, l.rank_key, k.value
             FROM ${LEADERBOARD_TABLE} l JOIN ${KEYV_TABLE} k ON k.key = $4 || l.user_id
            WHERE l.guild_id = $1
            ORDER BY l.rank_key LIMIT $2 OFFSET $3) AS p ON true
        ORDER BY p.rank_key`,
      [guildId, limit, offset, this.table.codec.fullKey(guildScorePrefix(guildId))],
    );
    const entries: RankedScore[] = [];
    for (const row of rows) {
      if (row.user_id === null || row.value === null) continue;
      entries.push({ userId: row.user_id, score: this.score(row.value), rank: offset + entries.length + 1 });
    }
    return { entries, total: Number(rows[0]?.total ?? 0) };
  }

  async warm(): Promise<void> {}

  /** The member's score, rank key and the guild's version, in one read (for Redis). */
  async member(guildId: string, userId: string): Promise<MemberRow | null> {
    const rows = await this.table.query<{ value: string; rank_key: string; version: string | null }>(
      `SELECT k.value, l.rank_key, v.version
         FROM ${LEADERBOARD_TABLE} l JOIN ${KEYV_TABLE} k ON k.key = $3
         LEFT JOIN ${LEADERBOARD_GUILDS_TABLE} v ON v.guild_id = l.guild_id
        WHERE l.guild_id = $1 AND l.user_id = $2`,
      [guildId, userId, this.scoreKey(guildId, userId)],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return { score: this.score(row.value), rankKey: row.rank_key, version: Number(row.version ?? 0) };
  }

  async version(guildId: string): Promise<number> {
    const rows = await this.table.query<{ version: string }>(
      `SELECT version FROM ${LEADERBOARD_GUILDS_TABLE} WHERE guild_id = $1`,
      [guildId],
    );
    return Number(rows[0]?.version ?? 0);
  }

  /**
   * Fills the index from the score records when it is empty but scores exist (a database whose
   * scores were written without it, e.g. copied in). Runs once per open; cheap when not needed.
   */
  async backfill(): Promise<number> {
    const [state] = await this.table.query<{ indexed: boolean; scored: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${LEADERBOARD_TABLE}) AS indexed,
              EXISTS (SELECT 1 FROM ${KEYV_TABLE} WHERE key COLLATE "C" >= $1 AND key COLLATE "C" < $2) AS scored`,
      [this.table.codec.fullKey('score:'), this.table.codec.fullKey('score;')],
    );
    if (state === undefined || state.indexed || !state.scored) return 0;
    const scores = await this.table.getByPrefix<ScoreRecord>('score:');
    const rows = scores.flatMap(({ suffix, value }) => {
      const [guildId, userId] = suffix.split(':');
      return guildId && userId ? [{ guildId, userId, key: rankKey(userId, value) }] : [];
    });
    for (let i = 0; i < rows.length; i += 5_000) {
      const slice = rows.slice(i, i + 5_000);
      await this.table.query(
        `INSERT INTO ${LEADERBOARD_TABLE} (guild_id, user_id, rank_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [slice.map((r) => r.guildId), slice.map((r) => r.userId), slice.map((r) => r.key)],
      );
    }
    await this.table.query(
      `INSERT INTO ${LEADERBOARD_POINTS_TABLE} AS p (guild_id, points_key, members)
       SELECT guild_id, substr(rank_key, 1, ${POINTS_KEY_LENGTH}), count(*) FROM ${LEADERBOARD_TABLE} GROUP BY 1, 2
       ON CONFLICT (guild_id, points_key) DO UPDATE SET members = excluded.members`,
    );
    await this.table.query(
      `INSERT INTO ${LEADERBOARD_GUILDS_TABLE} AS g (guild_id, members)
       SELECT guild_id, count(*) FROM ${LEADERBOARD_TABLE} GROUP BY guild_id
       ON CONFLICT (guild_id) DO UPDATE SET members = excluded.members`,
    );
    return rows.length;
  }

  private scoreKey(guildId: string, userId: string): string {
    return this.table.codec.fullKey(guildScorePrefix(guildId) + userId);
  }

  private score(stored: string): ScoreRecord {
    const score = parseScoreRecord(stored);
    if (score === undefined) throw new Error('an unreadable score record is on the leaderboard');
    return score;
  }
}
