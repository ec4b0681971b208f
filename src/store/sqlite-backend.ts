// The SQLite backend: one bot process owns the file. A first answer is checked and written under a
// per-user lock in this process (the file has no other writer), reads and writes are batched per
// event-loop turn, and leaderboards are tables SQLite keeps beside the scores (sqlite-rankings.ts).

import type Keyv from 'keyv';
import { applyAnswer, emptyScore, type ScoreRecord } from '../quiz/scoring.js';
import type {
  AnswerOutcome,
  FirstAnswerInput,
  KeyValue,
  KeyValueStore,
  Rankings,
  StepLocks,
  StoreBackend,
  StoreTable,
  StoredAnswer,
} from './backend.js';
import { KeyedLock } from './keyed-lock.js';
import { parseStringFreeValue } from './keyv-codec.js';
import { answerKey, scoreKey } from './keys.js';
import type { RangeReadOptions } from './records.js';
import { prepareSqliteRankings } from './sqlite-rankings.js';
import { openSqliteKeyv, type KeyvTable, type OpenSqliteOptions, type StoreLogger } from './sqlite.js';

export async function openSqliteBackend(
  url: string,
  namespace: string,
  logger: StoreLogger,
  options: OpenSqliteOptions = {},
): Promise<StoreBackend> {
  const { keyv, table } = await openSqliteKeyv(url, namespace, logger, options);
  try {
    const rankings = await prepareSqliteRankings(table, table.name, namespace);
    return new SqliteBackend(keyv, table, rankings);
  } catch (error) {
    await keyv.disconnect().catch(() => undefined);
    throw error;
  }
}

class SqliteBackend implements StoreBackend {
  readonly kind = 'sqlite';
  readonly kv: KeyValueStore;
  readonly table: StoreTable;
  readonly rankings: Rankings;
  readonly stepLocks: StepLocks = {
    shared: false,
    run: async (_eventId, step) => ({ ran: true, value: await step() }),
  };
  private readonly userLocks = new KeyedLock();

  constructor(
    readonly keyv: Keyv,
    private readonly sqlite: KeyvTable,
    rankings: Rankings,
  ) {
    this.table = sqlite;
    this.kv = sqliteKeyValues(keyv, sqlite);
    this.rankings = rankings;
  }

  recordFirstAnswer(input: FirstAnswerInput): Promise<AnswerOutcome> {
    const keys = {
      answer: answerKey(input.guildId, input.userId, input.questionKey),
      score: scoreKey(input.guildId, input.userId),
    };
    // Serialized per user: the check below and the write after it cannot interleave with another
    // click by the same user, so exactly one click per question finds no answer. This process is
    // the file's only writer (SQLite is refused for more than one bot process).
    return this.userLocks.run(`${input.guildId}:${input.userId}`, async () => {
      // One read for both, batched with the other clicks of this turn (see KeyvTable).
      const [recorded, stored] = await this.sqlite.getMany<[StoredAnswer, ScoreRecord]>([
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
      // One statement: a crash can never keep the answer without its point, or the reverse; the
      // leaderboard tables follow in the same transaction (triggers, sqlite-rankings.ts).
      await this.sqlite.setAtomically([
        { key: keys.answer, value: answer },
        { key: keys.score, value: score },
      ]);
      return { firstAnswer: true, firstChoice: input.choice, firstCorrect: input.correct, score };
    });
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }
}

function sqliteKeyValues(keyv: Keyv, table: KeyvTable): KeyValueStore {
  return {
    get: async <T>(key: string) => (await keyv.get<T>(key)) ?? undefined,
    getMany: (keys) => table.getMany(keys),
    set: async (key: string, value: unknown) => {
      await keyv.set(key, value);
    },
    setAtomically: (entries: KeyValue[]) => table.setAtomically(entries),
    delete: (key: string) => keyv.delete(key),
    getByPrefix: <T>(prefix: string, options: RangeReadOptions = {}) =>
      options.numbersOnly
        ? table.getByPrefix<T>(prefix, parseStringFreeValue<T>)
        : table.getByPrefix<T>(prefix),
  };
}

/** Score records are all numbers, so the fast plain-JSON read applies; anything else is refused. */
export function parseScoreRecord(stored: string): ScoreRecord | undefined {
  const score = parseStringFreeValue<ScoreRecord>(stored);
  return typeof score?.points === 'number' && typeof score.reachedPointsAt === 'number' ? score : undefined;
}
