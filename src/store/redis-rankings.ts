// Leaderboards as Redis sorted sets, one per guild: every member has score 0 and its rank key
// (rank-key.ts) as the member, so Redis keeps them in leaderboard order and ZRANK / ZRANGE answer
// in O(log n). PostgreSQL stays the truth. Each guild's set carries the version of the database's
// leaderboard it reflects (postgres-answers.ts bumps it in the scoring transaction): a change is
// applied only onto the version before it, a read trusts the set only at the database's version,
// and anything else (Redis restarted or unreachable, a process killed between commit and update)
// is answered from PostgreSQL's index while the set is rebuilt from the database.

import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { ScoreRecord } from '../quiz/scoring.js';
import type { Rankings } from './backend.js';
import { scoreKey } from './keys.js';
import type { CommittedBatch } from './postgres-answers.js';
import { LEADERBOARD_TABLE, LEADERBOARD_GUILDS_TABLE, inTransaction, type PgTable } from './postgres.js';
import type { PostgresRankings } from './postgres-rankings.js';
import type { RankedScore } from './ranked-index.js';
import { rankKey, userOfRankKey } from './rank-key.js';
import type { StoreLogger } from './sqlite.js';

/** KEYS: set, version. ARGV: expected version, new version, removal count, removals..., additions... */
const APPLY_SCRIPT = `
local current = redis.call('GET', KEYS[2])
if current ~= ARGV[1] then return 0 end
local removals = tonumber(ARGV[3])
for i = 4, 3 + removals do redis.call('ZREM', KEYS[1], ARGV[i]) end
for i = 4 + removals, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/** KEYS: set, version, built set. ARGV: the version it was built at. Never goes back in versions. */
const SWAP_SCRIPT = `
local current = redis.call('GET', KEYS[2])
if current and tonumber(current) >= tonumber(ARGV[1]) then redis.call('DEL', KEYS[3]) return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[1]) else redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

const BUILD_CHUNK = 5_000;

interface GuildChange {
  version: number;
  removals: string[];
  additions: string[];
}

export class RedisRankings implements Rankings {
  /** Guilds being rebuilt, with the changes committed meanwhile (re-applied after the swap). */
  private readonly building = new Map<string, { done: Promise<void>; changes: GuildChange[] }>();
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly pool: pg.Pool,
    private readonly table: PgTable,
    private readonly fallback: PostgresRankings,
    private readonly logger: StoreLogger,
  ) {}

  async rank(guildId: string, userId: string): Promise<RankedScore | null> {
    // While the set is being rebuilt, Redis is busy taking it in: the index answers at once.
    if (this.building.has(guildId)) return this.fallback.rank(guildId, userId);
    const member = await this.fallback.member(guildId, userId);
    if (member === null) return null;
    try {
      const [version, rank] = await Promise.all([
        this.redis.get(this.versionKey(guildId)),
        this.redis.zrank(this.setKey(guildId), member.rankKey),
      ]);
      if (version === String(member.version) && rank !== null)
        return { userId, score: member.score, rank: rank + 1 };
    } catch (error) {
      this.warn(error);
    }
    this.rebuildSoon(guildId);
    return this.fallback.rank(guildId, userId);
  }

  async page(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }> {
    if (this.building.has(guildId)) return this.fallback.page(guildId, offset, limit);
    const version = await this.fallback.version(guildId);
    try {
      const [stored, members, total] = await Promise.all([
        this.redis.get(this.versionKey(guildId)),
        this.redis.zrange(this.setKey(guildId), offset, offset + limit - 1),
        this.redis.zcard(this.setKey(guildId)),
      ]);
      if (stored === String(version)) {
        const userIds = members.map(userOfRankKey);
        const scores = await this.table.getMany<ScoreRecord[]>(
          userIds.map((userId) => scoreKey(guildId, userId)),
        );
        const entries: RankedScore[] = [];
        userIds.forEach((userId, i) => {
          const score = scores[i];
          if (score !== undefined) entries.push({ userId, score, rank: offset + i + 1 });
        });
        // A score committed after the version was read would not match its place: ask the index.
        const current = entries.every(
          (entry, i) => entry.userId === userIds[i] && rankKey(entry.userId, entry.score) === members[i],
        );
        if (entries.length === userIds.length && current) return { entries, total };
      } else {
        this.rebuildSoon(guildId);
      }
    } catch (error) {
      this.warn(error);
      this.rebuildSoon(guildId);
    }
    return this.fallback.page(guildId, offset, limit);
  }

  /** Rebuilds the guild's set unless Redis already holds it at the database's version. */
  async warm(guildId: string): Promise<void> {
    const [version, stored] = await Promise.all([
      this.fallback.version(guildId),
      this.redis.get(this.versionKey(guildId)).catch(() => null),
    ]);
    if (stored !== String(version)) await this.rebuild(guildId);
  }

  /** After a scoring transaction committed: each guild's set moves to the batch's version. */
  async apply(batch: CommittedBatch): Promise<void> {
    const byGuild = new Map<string, GuildChange>();
    for (const change of batch.changes) {
      const version = batch.versions.get(change.guildId);
      if (version === undefined) continue;
      const entry = byGuild.get(change.guildId) ?? { version, removals: [], additions: [] };
      if (change.before !== null && change.before.answered > 0)
        entry.removals.push(rankKey(change.userId, change.before));
      entry.additions.push(rankKey(change.userId, change.after));
      byGuild.set(change.guildId, entry);
    }
    await Promise.all(
      [...byGuild].map(async ([guildId, change]) => {
        this.building.get(guildId)?.changes.push(change);
        try {
          await this.applyOne(guildId, change);
        } catch (error) {
          // The set stays at its older version and is rebuilt when next read.
          this.warn(error);
        }
      }),
    );
  }

  /** Starts a rebuild in the background unless one is under way. */
  rebuildSoon(guildId: string): void {
    if (this.building.has(guildId)) return;
    this.rebuild(guildId).catch((error: unknown) => this.warn(error));
  }

  private rebuild(guildId: string): Promise<void> {
    const running = this.building.get(guildId);
    if (running !== undefined) return running.done;
    const changes: GuildChange[] = [];
    const state = { changes, done: Promise.resolve() };
    state.done = this.build(guildId, state.changes).finally(() => this.building.delete(guildId));
    this.building.set(guildId, state);
    return state.done;
  }

  private async build(guildId: string, committedMeanwhile: GuildChange[]): Promise<void> {
    const temporary = `${this.setKey(guildId)}:build:${process.pid}:${Date.now()}`;
    await this.redis.del(temporary);
    const version = await this.copySnapshot(guildId, temporary);
    await this.redis.eval(
      SWAP_SCRIPT,
      3,
      this.setKey(guildId),
      this.versionKey(guildId),
      temporary,
      String(version),
    );
    // Changes this process committed while the snapshot was copied, in version order.
    for (const change of [...committedMeanwhile].sort((a, b) => a.version - b.version)) {
      if (change.version > version) await this.applyOne(guildId, change);
    }
  }

  /**
   * Copies the guild's rank keys, as of one snapshot, into `temporary`, a chunk at a time (so clicks
   * and other requests are served in between), and returns the version they are at.
   */
  private copySnapshot(guildId: string, temporary: string): Promise<number> {
    return inTransaction(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const version = await client.query<{ version: string }>(
        `SELECT version FROM ${LEADERBOARD_GUILDS_TABLE} WHERE guild_id = $1`,
        [guildId],
      );
      let after = '';
      for (;;) {
        const { rows } = await client.query<{ rank_key: string }>(
          `SELECT rank_key FROM ${LEADERBOARD_TABLE} WHERE guild_id = $1 AND rank_key > $2
            ORDER BY rank_key LIMIT ${BUILD_CHUNK}`,
          [guildId, after],
        );
        if (rows.length === 0) break;
        const args: Array<string | number> = [];
        for (const row of rows) args.push(0, row.rank_key);
        await this.redis.zadd(temporary, ...args);
        after = rows[rows.length - 1]?.rank_key ?? after;
        if (rows.length < BUILD_CHUNK) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await this.redis.expire(temporary, 600);
      return Number(version.rows[0]?.version ?? 0);
    });
  }

  private async applyOne(guildId: string, change: GuildChange): Promise<void> {
    await this.redis.eval(
      APPLY_SCRIPT,
      2,
      this.setKey(guildId),
      this.versionKey(guildId),
      String(change.version - 1),
      String(change.version),
      String(change.removals.length),
      ...change.removals,
      ...change.additions,
    );
  }

  // Hash tags keep a guild's keys in one slot, as a Redis Cluster needs for the scripts.
  private setKey(guildId: string): string {
    return `${this.prefix}leaderboard:{${guildId}}`;
  }

  private versionKey(guildId: string): string {
    return `${this.prefix}leaderboard-version:{${guildId}}`;
  }

  /** At most one warning a minute: an unreachable Redis would otherwise log every request. */
  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, 'Redis leaderboard unavailable or behind; answering from PostgreSQL');
  }
}
