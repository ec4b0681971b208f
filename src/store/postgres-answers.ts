// Exactly-once scoring on PostgreSQL, enforced by the database for any number of bot processes.
// The first answers of one event-loop turn go in one transaction:
//   1. INSERT the answer rows ON CONFLICT DO NOTHING: the rows it returns are the first answers; a
//      conflicting insert by another process waits for that process's commit, then finds the row.
//   2. For the users with a first answer, lock their score rows (created empty when missing) with
//      an upsert that returns the current value: no other transaction can change them until commit.
//   3. The new scores, the leaderboard index rows and (with Redis) the guilds' versions, in one
//      statement; then COMMIT. An answer never commits without its point, nor the reverse.
// Rows are locked in key order, so two processes' batches cannot deadlock on each other; should
// PostgreSQL still report one (or a serialization failure), the batch is retried.

import type pg from 'pg';
import { applyAnswer, emptyScore, type ScoreRecord } from '../quiz/scoring.js';
import type { AnswerOutcome, FirstAnswerInput, StoredAnswer } from './backend.js';
import type { KeyvCodec } from './keyv-codec.js';
import { answerKey, scoreKey } from './keys.js';
import {
  KEYV_TABLE,
  LEADERBOARD_GUILDS_TABLE,
  LEADERBOARD_POINTS_TABLE,
  LEADERBOARD_TABLE,
  inTransaction,
} from './postgres.js';
import { pointsKey, rankKey } from './rank-key.js';
import { asUnavailable } from './unavailable.js';

/** Clicks one transaction carries at most. */
const MAX_ANSWERS_PER_TRANSACTION = 500;
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

/** A score that changed in a committed batch: what the Redis leaderboard must apply. */
export interface ScoreChange {
  guildId: string;
  userId: string;
  before: ScoreRecord | null;
  after: ScoreRecord;
}

/** Per guild, the version the batch gave its leaderboard, and the version before it. */
export interface CommittedBatch {
  changes: ScoreChange[];
  versions: Map<string, number>;
}

interface Pending {
  input: FirstAnswerInput;
  answerKey: string;
  scoreKey: string;
  resolve: (outcome: AnswerOutcome) => void;
  reject: (error: unknown) => void;
}

export interface PostgresAnswersOptions {
  /** Keep per-guild leaderboard versions (for Redis); off without Redis. */
  versioned: boolean;
  /** Told after each commit, before any click of the batch is answered. */
  onCommitted?: (batch: CommittedBatch) => Promise<void>;
}

/**
 * Group commit: one scoring transaction of this process at a time, carrying every click that arrived
 * while the one before was committing. Every batch of a guild updates that guild's counter rows, so
 * concurrent transactions of one process would only queue on those row locks, a commit each; one at
 * a time, the batch grows with the load instead. This is throughput only: exactly-once rests on the
 * database (the answer row's key, the score rows' locks), whatever runs concurrently.
 */
export class PostgresAnswers {
  private waiting: Pending[] = [];
  private draining = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly codec: KeyvCodec,
    private readonly options: PostgresAnswersOptions,
  ) {}

  record(input: FirstAnswerInput): Promise<AnswerOutcome> {
    const keys = {
      answerKey: this.codec.fullKey(answerKey(input.guildId, input.userId, input.questionKey)),
      scoreKey: this.codec.fullKey(scoreKey(input.guildId, input.userId)),
    };
    // applyAnswer's checks (points, time) before anything is queued.
    applyAnswer(emptyScore(), input.correct, input.at, input.points);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, ...keys, resolve, reject });
      // After this turn's I/O callbacks, so that a crowd's clicks arriving together share a batch.
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_ANSWERS_PER_TRANSACTION);
        await this.run(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  /** One transaction for the batch; every click in it resolves or rejects with it. */
  private async run(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.withRetries(batch);
      batch.forEach((entry, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) entry.reject(new Error('no outcome for a recorded answer'));
        else entry.resolve(outcome);
      });
    } catch (error) {
      const failure = asUnavailable(error);
      for (const entry of batch) entry.reject(failure);
    }
  }

  private async withRetries(batch: Pending[]): Promise<AnswerOutcome[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { outcomes, committed } = await this.transaction(batch);
        await this.options.onCommitted?.(committed);
        return outcomes;
      } catch (error) {
        const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
        if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE_SQLSTATES.has(code))
          throw error;
      }
    }
  }

  private transaction(batch: Pending[]): Promise<{ outcomes: AnswerOutcome[]; committed: CommittedBatch }> {
    return inTransaction(this.pool, 'BEGIN', (client) => this.firstAnswers(client, batch));
  }

  private async firstAnswers(
    client: pg.PoolClient,
    batch: Pending[],
  ): Promise<{ outcomes: AnswerOutcome[]; committed: CommittedBatch }> {
    // The first click of the batch on each answer key is the one that may be first.
    const candidates = new Map<string, Pending>();
    for (const entry of batch) if (!candidates.has(entry.answerKey)) candidates.set(entry.answerKey, entry);
    const answerKeys = [...candidates.keys()].sort(byteOrder);
    const answerValues = await Promise.all(
      answerKeys.map(async (key) => {
        const { input } = candidates.get(key) ?? fail(key);
        const answer: StoredAnswer = { choice: input.choice, correct: input.correct, at: input.at };
        return this.codec.encode(answer);
      }),
    );

    // 1. The answer rows: those returned were inserted, so they are first answers.
    const inserted = new Set(
      (
        await client.query<{ key: string }>(
          `INSERT INTO ${KEYV_TABLE} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (key) DO NOTHING RETURNING key`,
          [answerKeys, answerValues],
        )
      ).rows.map((row) => row.key),
    );

    // 2. Lock (creating when missing) the score rows of users with a first answer, reading them.
    const firsts = batch.filter(
      (entry) => inserted.has(entry.answerKey) && candidates.get(entry.answerKey) === entry,
    );
    const scoreKeys = [...new Set(firsts.map((entry) => entry.scoreKey))].sort(byteOrder);
    const before = new Map<string, ScoreRecord | null>();
    if (scoreKeys.length > 0) {
      const empty = await this.codec.encode(null);
      const { rows } = await client.query<{ key: string; value: string }>(
        `INSERT INTO ${KEYV_TABLE} (key, value) SELECT k, $2 FROM unnest($1::text[]) AS k
          ON CONFLICT (key) DO UPDATE SET value = ${KEYV_TABLE}.value RETURNING key, value`,
        [scoreKeys, empty],
      );
      for (const row of rows) before.set(row.key, readScore(await this.codec.read(row.value)));
    }

    // 3. New scores, applied in click order, with their leaderboard rows.
    const current = new Map<string, ScoreRecord>();
    const outcomeOf = new Map<Pending, AnswerOutcome>();
    for (const entry of firsts) {
      const { input } = entry;
      const score = applyAnswer(
        current.get(entry.scoreKey) ?? before.get(entry.scoreKey) ?? emptyScore(),
        input.correct,
        input.at,
        input.points,
      );
      current.set(entry.scoreKey, score);
      outcomeOf.set(entry, {
        firstAnswer: true,
        firstChoice: input.choice,
        firstCorrect: input.correct,
        score,
      });
    }
    const changes: ScoreChange[] = [];
    const versions = new Map<string, number>();
    if (current.size > 0) {
      const keys = [...current.keys()];
      const values = await Promise.all(keys.map(async (key) => this.codec.encode(current.get(key))));
      const members = keys.map((key) => {
        const entry = firsts.find((first) => first.scoreKey === key) ?? fail(key);
        const after = current.get(key) ?? fail(key);
        changes.push({
          guildId: entry.input.guildId,
          userId: entry.input.userId,
          before: before.get(key) ?? null,
          after,
        });
        return {
          guildId: entry.input.guildId,
          userId: entry.input.userId,
          rankKey: rankKey(entry.input.userId, after),
        };
      });
      // Per guild: members ranked for the first time, and one more version (for Redis).
      const added = new Map<string, number>();
      for (const change of changes) {
        const isNew = change.before === null || change.before.answered === 0;
        added.set(change.guildId, (added.get(change.guildId) ?? 0) + (isNew ? 1 : 0));
      }
      const guilds = [...added.keys()].sort(byteOrder);
      const bump = this.options.versioned ? 1 : 0;
      // Points buckets: one member leaves the bucket of their old points, joins the new one's.
      const moves = new Map<string, { guildId: string; points: string; delta: number }>();
      const move = (guildId: string, points: string, delta: number): void => {
        const key = `${guildId}\u0000${points}`;
        const entry = moves.get(key) ?? { guildId, points, delta: 0 };
        entry.delta += delta;
        moves.set(key, entry);
      };
      for (const change of changes) {
        if (change.before !== null && change.before.answered > 0)
          move(change.guildId, pointsKey(rankKey(change.userId, change.before)), -1);
        move(change.guildId, pointsKey(rankKey(change.userId, change.after)), 1);
      }
      const buckets = [...moves.values()]
        .filter((entry) => entry.delta !== 0)
        .sort((a, b) => byteOrder(a.guildId, b.guildId) || byteOrder(a.points, b.points));
      const { rows } = await client.query<{ guild_id: string; version: string }>(
        `WITH scores AS (
           INSERT INTO ${KEYV_TABLE} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO UPDATE SET value = excluded.value),
         ranks AS (
           INSERT INTO ${LEADERBOARD_TABLE} (guild_id, user_id, rank_key)
           SELECT * FROM unnest($3::text[], $4::text[], $5::text[])
           ON CONFLICT (guild_id, user_id) DO UPDATE SET rank_key = excluded.rank_key),
         buckets AS (
           INSERT INTO ${LEADERBOARD_POINTS_TABLE} AS p (guild_id, points_key, members)
           SELECT * FROM unnest($9::text[], $10::text[], $11::bigint[])
           ON CONFLICT (guild_id, points_key) DO UPDATE SET members = p.members + excluded.members)
         INSERT INTO ${LEADERBOARD_GUILDS_TABLE} AS g (guild_id, members, version)
         SELECT guild, added, $8 FROM unnest($6::text[], $7::bigint[]) AS u (guild, added)
         ON CONFLICT (guild_id) DO UPDATE
           SET members = g.members + excluded.members, version = g.version + excluded.version
         RETURNING guild_id, version`,
        [
          keys,
          values,
          members.map((m) => m.guildId),
          members.map((m) => m.userId),
          members.map((m) => m.rankKey),
          guilds,
          guilds.map((guild) => added.get(guild) ?? 0),
          bump,
          buckets.map((entry) => entry.guildId),
          buckets.map((entry) => entry.points),
          buckets.map((entry) => entry.delta),
        ],
      );
      if (this.options.versioned) for (const row of rows) versions.set(row.guild_id, Number(row.version));
    }

    // 4. Every other click: graded against the stored first answer, with the score as it stands.
    const others = batch.filter((entry) => !outcomeOf.has(entry));
    if (others.length > 0) {
      const keys = [...new Set(others.flatMap((entry) => [entry.answerKey, entry.scoreKey]))];
      const { rows } = await client.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${KEYV_TABLE} WHERE key = ANY($1::text[])`,
        [keys],
      );
      const stored = new Map<string, unknown>();
      for (const row of rows) stored.set(row.key, await this.codec.read(row.value));
      for (const entry of others) {
        const answer = readAnswer(stored.get(entry.answerKey));
        if (answer === undefined)
          throw new Error(`the first answer under ${entry.answerKey} could not be read`);
        outcomeOf.set(entry, {
          firstAnswer: false,
          firstChoice: answer.choice,
          firstCorrect: answer.correct,
          score: current.get(entry.scoreKey) ?? readScore(stored.get(entry.scoreKey)) ?? emptyScore(),
        });
      }
    }
    return {
      outcomes: batch.map((entry) => outcomeOf.get(entry) ?? fail(entry.answerKey)),
      committed: { changes, versions },
    };
  }
}

function readScore(value: unknown): ScoreRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  if (!('points' in value) || typeof value.points !== 'number') return null;
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- a stored score record, checked by its points field
  return value as ScoreRecord;
}

function readAnswer(value: unknown): StoredAnswer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!('choice' in value) || typeof value.choice !== 'number') return undefined;
  if (!('correct' in value) || typeof value.correct !== 'boolean') return undefined;
  return {
    choice: value.choice,
    correct: value.correct,
    at: 'at' in value && typeof value.at === 'number' ? value.at : 0,
  };
}

/** Byte order, as the C collation sorts: the order rows are locked in. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function fail(key: string): never {
  throw new Error(`internal: no batch entry for ${key}`);
}
