// The quiz bot's persistent state: first answers, per-guild scores with ranks, and small meta
// values, in Keyv over SQLite. One bot process owns the file (the per-user lock and the ranked
// indexes live in this process).

import type Keyv from 'keyv';
import { applyAnswer, emptyScore, type ScoreRecord, type ScoredUser } from '../quiz/scoring.js';
import { GuildIndexes } from './guild-indexes.js';
import { KeyedLock } from './keyed-lock.js';
import { STORE_NAMESPACE, answerKey, guildScorePrefix, metaKey, scoreKey } from './keys.js';
import type { RankedScore } from './ranked-index.js';
import type { RangeReadOptions, RecordEntry, RecordStore } from './records.js';
import { openSqliteKeyv, parseStringFreeValue, type KeyvTable, type StoreLogger } from './sqlite.js';
import type { StoreFileLostError } from './store-file.js';

export type { RankedScore } from './ranked-index.js';
export type { StoreLogger } from './sqlite.js';

export interface AnswerInput {
  guildId: string;
  userId: string;
  /** Opaque, e.g. `lectureId:questionIndex:hash`; may contain ':'. */
  questionKey: string;
  choice: number;
  correct: boolean;
  /** Epoch milliseconds. */
  at: number;
  /** Awarded when correct; 1 unless a quiz event says otherwise. */
  points?: number;
}

export interface AnswerOutcome {
  /** True only for the click that was scored. */
  firstAnswer: boolean;
  /** The choice recorded first for this user and question. */
  firstChoice: number;
  firstCorrect: boolean;
  /** The user's score after this click (unchanged when it was not the first answer). */
  score: ScoreRecord;
}

export interface StoredAnswer {
  choice: number;
  correct: boolean;
  at: number;
}

export interface QuizStore {
  recordAnswer(input: AnswerInput): Promise<AnswerOutcome>;
  getAnswer(guildId: string, userId: string, questionKey: string): Promise<StoredAnswer | null>;
  getScore(guildId: string, userId: string): Promise<RankedScore | null>;
  leaderboard(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }>;
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
  /** The underlying Keyv, namespaced, for other features (quiz events) to keep their own records. */
  readonly keyv: Keyv;
  /** Plain records (keys, key ranges, atomic batches) for feature stores such as study cards. */
  readonly records: RecordStore;
  /**
   * The same records with what Keyv lacks: several keys in one atomic write, batched reads, and
   * prefix ranges (uploaded lectures, results for teachers).
   */
  readonly table: KeyvTable;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  logger?: StoreLogger;
  /**
   * Called once when a write finds the store file deleted or replaced. That write, and every one
   * after it, rejects with a StoreFileLostError: nothing more can be saved, so the caller should stop.
   */
  onFileLost?: (error: StoreFileLostError) => void;
}

const consoleLogger: StoreLogger = {
  warn: (obj, msg) => console.error(msg, obj),
};

/**
 * Opens (and on first start creates) the store at `sqlite://path` or `sqlite://:memory:`; rejects
 * with a StoreOpenError naming the path when the file cannot be opened.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<QuizStore> {
  const { keyv, table } = await openSqliteKeyv(url, STORE_NAMESPACE, opts.logger ?? consoleLogger, {
    onFileLost: opts.onFileLost,
  });
  return new KeyvQuizStore(keyv, table);
}

class KeyvQuizStore implements QuizStore {
  private readonly userLocks = new KeyedLock();
  private readonly indexes: GuildIndexes;
  /** Every call still running, so that close() lets them finish before the database goes. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  readonly records: RecordStore;

  constructor(
    readonly keyv: Keyv,
    readonly table: KeyvTable,
  ) {
    this.indexes = new GuildIndexes((guildId) => this.loadGuildScores(guildId));
    this.records = this.recordStore();
  }

  recordAnswer(input: AnswerInput): Promise<AnswerOutcome> {
    return this.guarded(() => {
      const keys = {
        answer: answerKey(input.guildId, input.userId, input.questionKey),
        score: scoreKey(input.guildId, input.userId),
      };
      checkChoice(input.choice);
      // Serialized per user: the check below and the write after it cannot interleave with
      // another click by the same user, so exactly one click per question finds no answer.
      return this.userLocks.run(`${input.guildId}:${input.userId}`, async () => {
        // One read for both, batched with the other clicks of this turn (see KeyvTable).
        const [recorded, stored] = await this.table.getMany<[StoredAnswer, ScoreRecord]>([
          keys.answer,
          keys.score,
        ]);
        const before = stored ?? emptyScore();
        if (recorded !== undefined) {
          return {
            firstAnswer: false,
            firstChoice: recorded.choice,
            firstCorrect: recorded.correct,
            score: before,
          };
        }
        const score = applyAnswer(before, input.correct, input.at, input.points);
        const answer: StoredAnswer = { choice: input.choice, correct: input.correct, at: input.at };
        // One statement: a crash can never keep the answer without its point, or the reverse.
        await this.table.setAtomically([
          { key: keys.answer, value: answer },
          { key: keys.score, value: score },
        ]);
        this.indexes.recordWrite(input.guildId, input.userId, score);
        return { firstAnswer: true, firstChoice: input.choice, firstCorrect: input.correct, score };
      });
    });
  }

  getAnswer(guildId: string, userId: string, questionKey: string): Promise<StoredAnswer | null> {
    return this.guarded(async () => {
      const answer = await this.keyv.get<StoredAnswer>(answerKey(guildId, userId, questionKey));
      return answer ?? null;
    });
  }

  getScore(guildId: string, userId: string): Promise<RankedScore | null> {
    return this.guarded(async () => {
      scoreKey(guildId, userId); // validates both ids
      const index = await this.indexes.get(guildId);
      return index.get(userId);
    });
  }

  leaderboard(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }> {
    return this.guarded(async () => {
      if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be an integer >= 0`);
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1`);
      guildScorePrefix(guildId); // validates the id
      const index = await this.indexes.get(guildId);
      return { entries: index.page(offset, limit), total: index.size };
    });
  }

  getMeta<T>(key: string): Promise<T | undefined> {
    return this.guarded(() => this.keyv.get<T>(metaKey(key)));
  }

  setMeta(key: string, value: unknown): Promise<void> {
    return this.guarded(async () => {
      await this.keyv.set(metaKey(key), value);
    });
  }

  /** Lets running calls (queued answers included) finish, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.inFlight);
    await this.keyv.disconnect();
  }

  /** The table's batched reads, atomic writes and key ranges, each awaited by close(). */
  private recordStore(): RecordStore {
    const table = this.table;
    return {
      getMany: (keys) => this.guarded(() => table.getMany(keys)),
      setAtomically: (entries: RecordEntry[]) => this.guarded(() => table.setAtomically(entries)),
      getByPrefix: <T>(prefix: string, options: RangeReadOptions = {}) =>
        this.guarded(() =>
          options.numbersOnly
            ? table.getByPrefix<T>(prefix, parseStringFreeValue<T>)
            : table.getByPrefix<T>(prefix),
        ),
    };
  }

  /** Every failure, including bad input, arrives as a rejected promise; none is thrown. */
  private guarded<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the quiz store is closed'));
    const running = (async () => operation())();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    void running.then(forget, forget);
    return running;
  }

  private async loadGuildScores(guildId: string): Promise<ScoredUser[]> {
    const rows = await this.table.getByPrefix(guildScorePrefix(guildId), parseScoreRecord);
    return rows.map((row) => ({ userId: row.suffix, score: row.value }));
  }
}

/** Score records are all numbers, so the fast plain-JSON read applies; anything else is refused. */
function parseScoreRecord(stored: string): ScoreRecord | undefined {
  const score = parseStringFreeValue<ScoreRecord>(stored);
  return typeof score?.points === 'number' && typeof score.reachedPointsAt === 'number' ? score : undefined;
}

function checkChoice(choice: number): void {
  if (!Number.isInteger(choice) || choice < 0) {
    throw new RangeError(`choice must be an integer >= 0, got ${choice}`);
  }
}
