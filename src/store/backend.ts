// The one storage interface the features use, whatever the database: a key-value table as Keyv
// keeps it (every key from keys.ts, values as Keyv serializes them), plus the operations Keyv cannot
// express safely: the first answer and its score in one transaction, leaderboard ranks, and the
// lock that keeps two processes from running the same quiz event step. SQLite (one process) and
// PostgreSQL (any number of processes) implement it; see sqlite-backend.ts and postgres-backend.ts.

import type Keyv from 'keyv';
import type { ScoreRecord } from '../quiz/scoring.js';
import type { RankedScore } from './ranked-index.js';
import type { RangeReadOptions } from './records.js';

export interface KeyValue {
  key: string;
  value: unknown;
}

/** Key-value access for stored features. Keys are un-namespaced (`score:...`), as in keys.ts. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  /** The values of `keys` in order (undefined where none), e.g. `getMany<[Answer, Score]>([a, s])`. */
  getMany<T extends unknown[]>(
    keys: [...{ [K in keyof T]: string }],
  ): Promise<{ [K in keyof T]: T[K] | undefined }>;
  set(key: string, value: unknown): Promise<void>;
  /** All of `entries` or none, resolved once committed. */
  setAtomically(entries: KeyValue[]): Promise<void>;
  /** True when there was such a key. */
  delete(key: string): Promise<boolean>;
  /**
   * Every entry whose key starts with `prefix`, in key order, keys returned without the prefix;
   * `numbersOnly` values (no strings in them) may be read by a faster parser.
   */
  getByPrefix<T>(prefix: string, options?: RangeReadOptions): Promise<Array<{ suffix: string; value: T }>>;
}

/** Reads a stored value column (Keyv's JSON text) as a record; undefined when it is not one. */
export type StoredValueDecoder<T> = (stored: string) => T | undefined | Promise<T | undefined>;

/**
 * The table itself, for feature stores that batch: reads of one event-loop turn share a statement,
 * an atomic write is one transaction, and a prefix range may be read with a decoder of its own
 * (both backends keep the same Keyv JSON text). Same operations on SQLite and PostgreSQL.
 */
export interface StoreTable {
  getMany<T extends unknown[]>(
    keys: [...{ [K in keyof T]: string }],
  ): Promise<{ [K in keyof T]: T[K] | undefined }>;
  setAtomically(entries: KeyValue[]): Promise<void>;
  getByPrefix<T>(
    prefix: string,
    decode?: StoredValueDecoder<T>,
  ): Promise<Array<{ suffix: string; value: T }>>;
}

/** One click's answer, as the store records it. */
export interface FirstAnswerInput {
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

export interface StoredAnswer {
  choice: number;
  correct: boolean;
  at: number;
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

export interface Rankings {
  /** The member's score and 1-based place, or null before their first answer. */
  rank(guildId: string, userId: string): Promise<RankedScore | null>;
  /** Up to `limit` places from the 0-based `offset`, and how many members are ranked. */
  page(guildId: string, offset: number, limit: number): Promise<{ entries: RankedScore[]; total: number }>;
  /** Prepares a guild's leaderboard in the background after start-up (may do nothing). */
  warm(guildId: string): Promise<void>;
}

export type StepLockResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Keeps two processes from running the same quiz event step. `run` calls `step` only while this
 * process holds the event's lock, and resolves `{ ran: false }` when another process holds it.
 */
export interface StepLocks {
  /** True when another process may run events of the same store (PostgreSQL). */
  readonly shared: boolean;
  run<T>(eventId: string, step: () => Promise<T>): Promise<StepLockResult<T>>;
}

export interface StoreBackend {
  readonly kind: 'sqlite' | 'postgres';
  /** The namespaced Keyv over the same table, for features written against Keyv. */
  readonly keyv: Keyv;
  readonly kv: KeyValueStore;
  readonly table: StoreTable;
  /**
   * Records the answer unless the user already answered that question, and adds it to their
   * score in the same transaction. Exactly once: across processes too where the backend allows it.
   */
  recordFirstAnswer(input: FirstAnswerInput): Promise<AnswerOutcome>;
  readonly rankings: Rankings;
  readonly stepLocks: StepLocks;
  close(): Promise<void>;
}
