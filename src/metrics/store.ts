// The quiz store with every call timed for /metrics (quizbot_store_seconds). A wrapper rather than
// code in each store, so it works the same whatever store is behind the QuizStore interface.
import type { QuizStore } from '../store/index.js';
import type { RecordStore } from '../store/records.js';
import type { BotMetrics } from './metrics.js';

export function instrumentStore(store: QuizStore, metrics: BotMetrics): QuizStore {
  const timed = <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    const startedAt = performance.now();
    return call().then(
      (value) => {
        metrics.storeCall(operation, true, (performance.now() - startedAt) / 1000);
        return value;
      },
      (error: unknown) => {
        metrics.storeCall(operation, false, (performance.now() - startedAt) / 1000);
        throw error;
      },
    );
  };
  return {
    kind: store.kind,
    recordAnswer: (input) => timed('recordAnswer', () => store.recordAnswer(input)),
    getAnswer: (guildId, userId, questionKey) =>
      timed('getAnswer', () => store.getAnswer(guildId, userId, questionKey)),
    getScore: (guildId, userId) => timed('getScore', () => store.getScore(guildId, userId)),
    leaderboard: (guildId, offset, limit) =>
      timed('leaderboard', () => store.leaderboard(guildId, offset, limit)),
    warmLeaderboard: (guildId) => timed('warmLeaderboard', () => store.warmLeaderboard(guildId)),
    getMeta: <T>(key: string) => timed('getMeta', () => store.getMeta<T>(key)),
    setMeta: (key, value) => timed('setMeta', () => store.setMeta(key, value)),
    records: instrumentRecords(store.records, timed),
    // The library's and the stats' own stores work on the table directly; not timed here.
    get table() {
      return store.table;
    },
    get keyv() {
      return store.keyv;
    },
    get kv() {
      return store.kv;
    },
    get stepLocks() {
      return store.stepLocks;
    },
    close: () => store.close(),
  };
}

type Timed = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/** The feature stores' record calls (study cards, sessions), timed as records.<call>. */
function instrumentRecords(records: RecordStore, timed: Timed): RecordStore {
  return {
    getMany: (keys) => timed('records.getMany', () => records.getMany(keys)),
    setAtomically: (entries) => timed('records.setAtomically', () => records.setAtomically(entries)),
    getByPrefix: (prefix, options) =>
      timed('records.getByPrefix', () => records.getByPrefix(prefix, options)),
  };
}
