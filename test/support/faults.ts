// Store faults for end-to-end tests: every write the store makes fails as SQLite does when the disk
// is full, until the space is "freed". Reads keep working, as they do on a full disk.
import type KeyvSqlite from '@keyv/sqlite';
import type { QuizStore } from '../../src/store/index.js';

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

export interface DiskFull {
  /** How many writes were refused so far. */
  readonly refused: number;
  /** Writes work again. */
  free(): void;
}

export function fillDisk(store: QuizStore): DiskFull {
  // Test-only reach into the adapter: every statement the store runs goes through its query().
  const adapter = store.keyv.store as KeyvSqlite;
  const query = adapter.query;
  const state = { refused: 0, full: true };
  adapter.query = (sql: string, ...params: unknown[]) => {
    if (state.full && WRITE.test(sql)) {
      state.refused += 1;
      return Promise.reject(
        Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
      );
    }
    return query(sql, ...params);
  };
  return {
    get refused() {
      return state.refused;
    },
    free() {
      state.full = false;
      adapter.query = query;
    },
  };
}
