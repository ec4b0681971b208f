// Leaderboards of the SQLite store, answered by SQLite: a table of every scored member's place
// (guild, -points, -accuracy, reachedPointsAt, user) indexed in compareForLeaderboard's order,
// plus each guild's member count and each points value's member count. Triggers on Keyv's table
// keep all three in the transaction of every score write, whoever makes it (this bot, an older one,
// or @keyv/sqlite itself), so the Keyv table stays the store of record, its format is unchanged,
// and the first request after a restart reads an index instead of rebuilding one from every row.
//
// A page is an index range; a member's place is the sum of the members with more points (one row
// per points value) plus a count of those ahead among equal points, so neither walks the guild.
// The tables are created, and filled from the scores already there, when a store file without
// them is opened.

import type { Rankings } from './backend.js';
import { prefixEnd } from './keyv-codec.js';
import { guildScorePrefix } from './keys.js';
import type { RankedScore } from './ranked-index.js';
import { parseScoreRecord } from './sqlite-backend.js';
import type { KeyvTable } from './sqlite.js';

interface RankTables {
  keyv: string;
  members: string;
  guilds: string;
  points: string;
  /** First and past-last namespaced score key: the range the triggers watch. */
  low: string;
  high: string;
}

function rankTables(keyvTable: string, namespace: string): RankTables {
  if (!/^[A-Za-z0-9_]+$/.test(namespace)) {
    throw new TypeError(`the SQLite leaderboard needs a namespace of letters, digits and _: ${namespace}`);
  }
  const low = `${namespace}:score:`;
  const base = `${keyvTable}_${namespace}_rank`;
  return {
    keyv: keyvTable,
    members: `${base}_members`,
    guilds: `${base}_guilds`,
    points: `${base}_points`,
    low,
    high: prefixEnd(low),
  };
}

/**
 * The SELECT of rank rows (guild, user, -points, -accuracy, reachedPointsAt) from `source`, rows of
 * `rest` (the key past the namespace's score prefix) and `value` (Keyv's JSON); a value that is not
 * a score record gives none.
 */
function rankRowSelect(source: string): string {
  const field = (name: string) => `json_extract(r.value, '$.value.${name}')`;
  const numeric = (name: string) => `json_type(r.value, '$.value.${name}') IN ('integer', 'real')`;
  return `SELECT substr(r.rest, 1, instr(r.rest, ':') - 1), substr(r.rest, instr(r.rest, ':') + 1),
      -${field('points')},
      -(CASE WHEN ${field('answered')} = 0 THEN 0.0 ELSE CAST(${field('correct')} AS REAL) / ${field('answered')} END),
      ${field('reachedPointsAt')}
    FROM ${source} AS r
    WHERE instr(r.rest, ':') > 1 AND json_valid(r.value)
      AND ${numeric('points')} AND ${numeric('answered')} AND ${numeric('correct')} AND ${numeric('reachedPointsAt')}`;
}

/** The rank row source for the trigger's `new` or `old` row. */
function triggerRow(row: 'new' | 'old', t: RankTables): string {
  return `(SELECT substr(${row}.key, ${t.low.length + 1}) AS rest, ${row}.value AS value)`;
}

function inRange(key: string, t: RankTables): string {
  return `${key} >= '${t.low}' AND ${key} < '${t.high}'`;
}

/** Every statement that creates the tables and triggers, in order (each IF NOT EXISTS). */
function schema(t: RankTables): string[] {
  const member = (row: string) =>
    `guild = substr(${row}.key, ${t.low.length + 1}, instr(substr(${row}.key, ${t.low.length + 1}), ':') - 1)
       AND user = substr(${row}.key, ${t.low.length + 1} + instr(substr(${row}.key, ${t.low.length + 1}), ':'))`;
  const upsert = (row: 'new' | 'old') =>
    `INSERT INTO ${t.members} (guild, user, neg_points, neg_accuracy, reached) ${rankRowSelect(triggerRow(row, t))}
       ON CONFLICT (guild, user) DO UPDATE SET neg_points = excluded.neg_points,
         neg_accuracy = excluded.neg_accuracy, reached = excluded.reached;`;
  const count = (table: string, keys: string, values: string, delta: number) =>
    `INSERT INTO ${table} (${keys}, members) VALUES (${values}, ${delta})
       ON CONFLICT (${keys}) DO UPDATE SET members = members + ${delta};`;
  const dropEmpty = (table: string, where: string) => `DELETE FROM ${table} WHERE ${where} AND members = 0;`;
  return [
    `CREATE TABLE IF NOT EXISTS ${t.members} (guild TEXT NOT NULL, user TEXT NOT NULL,
       neg_points REAL NOT NULL, neg_accuracy REAL NOT NULL, reached REAL NOT NULL,
       PRIMARY KEY (guild, user)) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS ${t.members}_order ON ${t.members} (guild, neg_points, neg_accuracy, reached, user)`,
    `CREATE TABLE IF NOT EXISTS ${t.guilds} (guild TEXT PRIMARY KEY, members INTEGER NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.points} (guild TEXT NOT NULL, neg_points REAL NOT NULL,
       members INTEGER NOT NULL, PRIMARY KEY (guild, neg_points)) WITHOUT ROWID`,
    // The counts follow the members table.
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_added AFTER INSERT ON ${t.members} BEGIN
       ${count(t.guilds, 'guild', 'new.guild', 1)}
       ${count(t.points, 'guild, neg_points', 'new.guild, new.neg_points', 1)}
     END`,
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_removed AFTER DELETE ON ${t.members} BEGIN
       ${count(t.guilds, 'guild', 'old.guild', -1)}
       ${count(t.points, 'guild, neg_points', 'old.guild, old.neg_points', -1)}
       ${dropEmpty(t.guilds, 'guild = old.guild')}
       ${dropEmpty(t.points, 'guild = old.guild AND neg_points = old.neg_points')}
     END`,
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_moved AFTER UPDATE OF neg_points ON ${t.members}
     WHEN old.neg_points <> new.neg_points BEGIN
       ${count(t.points, 'guild, neg_points', 'old.guild, old.neg_points', -1)}
       ${count(t.points, 'guild, neg_points', 'new.guild, new.neg_points', 1)}
       ${dropEmpty(t.points, 'guild = old.guild AND neg_points = old.neg_points')}
     END`,
    // The members table follows the score records in Keyv's table.
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_score_added AFTER INSERT ON ${t.keyv}
     WHEN ${inRange('new.key', t)} BEGIN
       ${upsert('new')}
     END`,
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_score_changed AFTER UPDATE ON ${t.keyv}
     WHEN ${inRange('old.key', t)} OR ${inRange('new.key', t)} BEGIN
       DELETE FROM ${t.members} WHERE ${inRange('old.key', t)} AND (old.key <> new.key OR NOT EXISTS (${rankRowSelect(triggerRow('new', t))}))
         AND ${member('old')};
       ${upsert('new')}
     END`,
    `CREATE TRIGGER IF NOT EXISTS ${t.members}_score_removed AFTER DELETE ON ${t.keyv}
     WHEN ${inRange('old.key', t)} BEGIN
       DELETE FROM ${t.members} WHERE ${member('old')};
     END`,
  ];
}

/**
 * Creates the leaderboard tables and triggers if the file has none yet, and fills them from the
 * scores already stored, in one transaction: a file written before (or by @keyv/sqlite alone)
 * gets its rankings once, on the first open.
 */
export async function prepareSqliteRankings(
  table: KeyvTable,
  keyvTable: string,
  namespace: string,
): Promise<SqliteRankings> {
  const t = rankTables(keyvTable, namespace);
  const existing = await table.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = ?`,
    `${t.members}_score_removed`,
  );
  if (existing.length === 0) {
    await table.query('BEGIN IMMEDIATE');
    try {
      for (const statement of schema(t)) await table.query(statement);
      await table.query(`DELETE FROM ${t.members}`);
      await table.query(
        `INSERT INTO ${t.members} (guild, user, neg_points, neg_accuracy, reached) ${rankRowSelect(
          `(SELECT substr(key, ${t.low.length + 1}) AS rest, value FROM ${t.keyv} WHERE ${inRange('key', t)})`,
        )}`,
      );
      await table.query('COMMIT');
    } catch (error) {
      await table.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  return new SqliteRankings(table, t);
}

export class SqliteRankings implements Rankings {
  constructor(
    private readonly table: KeyvTable,
    private readonly t: RankTables,
  ) {}

  async rank(guildId: string, userId: string): Promise<RankedScore | null> {
    const { members, points, keyv } = this.t;
    const rows = await this.table.query<{ value: string; ahead: number }>(
      `SELECT k.value AS value,
         (SELECT COALESCE(SUM(p.members), 0) FROM ${points} p WHERE p.guild = m.guild AND p.neg_points < m.neg_points)
         + (SELECT COUNT(*) FROM ${members} b WHERE b.guild = m.guild AND b.neg_points = m.neg_points
              AND (b.neg_accuracy, b.reached, b.user) < (m.neg_accuracy, m.reached, m.user)) AS ahead
       FROM ${members} m JOIN ${keyv} k ON k.key = ?
       WHERE m.guild = ? AND m.user = ?`,
      this.scoreKey(guildId) + userId,
      guildId,
      userId,
    );
    const row = rows[0];
    const score = row === undefined ? undefined : parseScoreRecord(row.value);
    if (row === undefined || score === undefined) return null;
    return { userId, score, rank: row.ahead + 1 };
  }

  async page(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }> {
    const { members, guilds, keyv } = this.t;
    const totals = await this.table.query<{ members: number }>(
      `SELECT members FROM ${guilds} WHERE guild = ?`,
      guildId,
    );
    const total = totals[0]?.members ?? 0;
    if (offset >= total) return { entries: [], total };
    const rows = await this.table.query<{ user: string; value: string }>(
      `SELECT m.user AS user, k.value AS value
         FROM ${members} m JOIN ${keyv} k ON k.key = ? || m.user
        WHERE m.guild = ?
        ORDER BY m.neg_points, m.neg_accuracy, m.reached, m.user
        LIMIT ? OFFSET ?`,
      this.scoreKey(guildId),
      guildId,
      limit,
      offset,
    );
    const entries: RankedScore[] = [];
    rows.forEach((row, i) => {
      const score = parseScoreRecord(row.value);
      if (score !== undefined) entries.push({ userId: row.user, score, rank: offset + i + 1 });
    });
    return { entries, total };
  }

  /** Nothing to build: the index is on disk. */
  async warm(): Promise<void> {}

  private scoreKey(guildId: string): string {
    return `${this.t.low}${guildScorePrefix(guildId).slice('score:'.length)}`;
  }
}
