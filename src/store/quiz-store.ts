// The quiz bot's persistent state: first answers, per-guild scores with ranks, small meta values,
// and key-value access for the other stored features, over one backend (SQLite for one process,
// PostgreSQL for many; see backend.ts). Input is checked here, once, for every backend.

import type Keyv from 'keyv';
import type {
  AnswerOutcome,
  FirstAnswerInput,
  KeyValueStore,
  StepLocks,
  StoreBackend,
  StoreTable,
  StoredAnswer,
} from './backend.js';
import { STORE_NAMESPACE, answerKey, guildScorePrefix, metaKey, scoreKey } from './keys.js';
import type { RankedScore } from './ranked-index.js';
import type { RangeReadOptions, RecordEntry, RecordStore } from './records.js';
import { openSqliteBackend } from './sqlite-backend.js';
import { isPostgresUrl } from './store-url.js';
import type { openPostgresBackend } from './postgres-backend.js';
import type { StoreLogger } from './sqlite.js';
import type { StoreFileLostError } from './store-file.js';

export type { AnswerOutcome, KeyValueStore, StepLocks, StoredAnswer } from './backend.js';
export type { RankedScore } from './ranked-index.js';
export type { StoreLogger } from './sqlite.js';

export type AnswerInput = FirstAnswerInput;

export interface QuizStore {
  /** 'sqlite' (one process) or 'postgres' (shared by every bot process). */
  readonly kind: StoreBackend['kind'];
  recordAnswer(input: AnswerInput): Promise<AnswerOutcome>;
  getAnswer(guildId: string, userId: string, questionKey: string): Promise<StoredAnswer | null>;
  getScore(guildId: string, userId: string): Promise<RankedScore | null>;
  leaderboard(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }>;
  /** Builds what the guild's first leaderboard request needs, ahead of it (may do nothing). */
  warmLeaderboard(guildId: string): Promise<void>;
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
  /** The underlying Keyv, namespaced, for other features (quiz events) to keep their own records. */
  readonly keyv: Keyv;
  /** get/getMany/set/setAtomically/delete/getByPrefix over the same table, on every backend. */
  readonly kv: KeyValueStore;
  /** Plain records (keys, key ranges, atomic batches) for feature stores such as study cards. */
  readonly records: RecordStore;
  /** Keeps two processes from running one quiz event step. */
  readonly stepLocks: StepLocks;
  /**
   * The same records with what Keyv lacks: several keys in one atomic write, batched reads, and
   * prefix ranges (uploaded lectures, results for teachers), on every backend.
   */
  readonly table: StoreTable;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  logger?: StoreLogger;
  /**
   * Called once when a write finds the store file deleted or replaced. That write, and every one
   * after it, rejects with a StoreFileLostError: nothing more can be saved, so the caller should stop.
   */
  onFileLost?: (error: StoreFileLostError) => void;
  /** PostgreSQL only: leaderboards as Redis sorted sets (rebuilt from the database when missing). */
  redisUrl?: string | null;
  /** Redis key prefix (tests give each file its own); defaults to the store namespace. */
  redisPrefix?: string;
}

const consoleLogger: StoreLogger = {
  warn: (obj, msg) => console.error(msg, obj),
};

/**
 * Opens (and on first start creates) the store at `sqlite://path`, `sqlite://:memory:` or
 * `postgres://...`; rejects with a StoreOpenError naming the place when it cannot be opened.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<QuizStore> {
  const logger = opts.logger ?? consoleLogger;
  const backend = isPostgresUrl(url)
    ? await openPostgres(url, STORE_NAMESPACE, logger, {
        redisUrl: opts.redisUrl ?? null,
        redisPrefix: opts.redisPrefix ?? `${STORE_NAMESPACE}:`,
      })
    : await openSqliteBackend(url, STORE_NAMESPACE, logger, { onFileLost: opts.onFileLost });
  return new BackendQuizStore(backend);
}

/** Loaded only for a PostgreSQL URL, so a SQLite bot never loads pg, ioredis or @keyv/postgres. */
async function openPostgres(...args: Parameters<typeof openPostgresBackend>): Promise<StoreBackend> {
  const postgres = await import('./postgres-backend.js');
  return postgres.openPostgresBackend(...args);
}

class BackendQuizStore implements QuizStore {
  /** Every call still running, so that close() lets them finish before the database goes. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  readonly records: RecordStore;

  constructor(private readonly backend: StoreBackend) {
    this.records = this.recordStore();
  }

  get kind(): StoreBackend['kind'] {
    return this.backend.kind;
  }

  get keyv(): Keyv {
    return this.backend.keyv;
  }

  get kv(): KeyValueStore {
    return this.backend.kv;
  }

  get stepLocks(): StepLocks {
    return this.backend.stepLocks;
  }

  get table(): StoreTable {
    return this.backend.table;
  }

  recordAnswer(input: AnswerInput): Promise<AnswerOutcome> {
    return this.guarded(() => {
      // Validates the ids and the question key before anything is written.
      answerKey(input.guildId, input.userId, input.questionKey);
      checkChoice(input.choice);
      return this.backend.recordFirstAnswer({ ...input });
    });
  }

  getAnswer(guildId: string, userId: string, questionKey: string): Promise<StoredAnswer | null> {
    return this.guarded(async () => {
      const answer = await this.backend.kv.get<StoredAnswer>(answerKey(guildId, userId, questionKey));
      return answer ?? null;
    });
  }

  getScore(guildId: string, userId: string): Promise<RankedScore | null> {
    return this.guarded(() => {
      scoreKey(guildId, userId); // validates both ids
      return this.backend.rankings.rank(guildId, userId);
    });
  }

  leaderboard(
    guildId: string,
    offset: number,
    limit: number,
  ): Promise<{ entries: RankedScore[]; total: number }> {
    return this.guarded(() => {
      if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be an integer >= 0`);
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1`);
      guildScorePrefix(guildId); // validates the id
      return this.backend.rankings.page(guildId, offset, limit);
    });
  }

  warmLeaderboard(guildId: string): Promise<void> {
    return this.guarded(() => {
      guildScorePrefix(guildId);
      return this.backend.rankings.warm(guildId);
    });
  }

  getMeta<T>(key: string): Promise<T | undefined> {
    return this.guarded(() => this.backend.kv.get<T>(metaKey(key)));
  }

  setMeta(key: string, value: unknown): Promise<void> {
    return this.guarded(() => this.backend.kv.set(metaKey(key), value));
  }

  /** Lets running calls (queued answers included) finish, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.inFlight);
    await this.backend.close();
  }

  /** The backend's batched reads, atomic writes and key ranges, each awaited by close(). */
  private recordStore(): RecordStore {
    const kv = this.backend.kv;
    return {
      getMany: (keys) => this.guarded(() => kv.getMany(keys)),
      setAtomically: (entries: RecordEntry[]) => this.guarded(() => kv.setAtomically(entries)),
      getByPrefix: <T>(prefix: string, options: RangeReadOptions = {}) =>
        this.guarded(() => kv.getByPrefix<T>(prefix, options)),
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
}

function checkChoice(choice: number): void {
  if (!Number.isInteger(choice) || choice < 0) {
    throw new RangeError(`choice must be an integer >= 0, got ${choice}`);
  }
}
