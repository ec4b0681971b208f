// Store faults for end-to-end tests: every write the store makes fails as the database does when the
// disk is full (SQLite's SQLITE_FULL, PostgreSQL's 53100), until the space is "freed". Reads keep
// working, as they do on a full disk.
import type { KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import pg from 'pg';
import type { QuizStore } from '../../src/store/index.js';

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;

export interface DiskFull {
  /** How many writes were refused so far. */
  readonly refused: number;
  /** Writes work again. */
  free(): void;
}

export function fillDisk(store: QuizStore): DiskFull {
  return store.kind === 'postgres' ? fillPostgres(store) : fillSqlite(store);
}

function fillSqlite(store: QuizStore): DiskFull {
  // Test-only reach into the adapter: every statement the store runs goes through its query().
  const adapter = store.keyv.store as KeyvSqliteAdapter;
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

/** Every statement of the PostgreSQL store goes through its pool: pool.query, or a checked-out client's. */
function fillPostgres(store: QuizStore): DiskFull {
  const pool = (store.keyv.store as { opts: { pool?: unknown } }).opts.pool;
  if (!(pool instanceof pg.Pool)) throw new Error('no PostgreSQL pool behind this store');
  const state = { refused: 0, full: true };
  const refuse = (sql: unknown): Error | null => {
    if (!state.full || typeof sql !== 'string' || !WRITE.test(sql)) return null;
    state.refused += 1;
    return Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });
  };
  const poolQuery = pool.query.bind(pool);
  const poolConnect = pool.connect.bind(pool);
  const patchedQuery = (sql: unknown, ...rest: unknown[]) => {
    const error = refuse(sql);
    return error ? Promise.reject(error) : (poolQuery as (...args: unknown[]) => unknown)(sql, ...rest);
  };
  const patchedConnect = async (...args: unknown[]) => {
    // pool.query checks out with a callback: that path is refused by the patched pool.query already.
    if (args.length > 0) return (poolConnect as (...a: unknown[]) => unknown)(...args);
    const client = await poolConnect();
    const clientQuery = client.query.bind(client);
    (client as { query: unknown }).query = (sql: unknown, ...rest: unknown[]) => {
      const error = refuse(sql);
      return error ? Promise.reject(error) : (clientQuery as (...args: unknown[]) => unknown)(sql, ...rest);
    };
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      (client as { query: unknown }).query = clientQuery;
      client.release = release;
      release(err);
    };
    return client;
  };
  (pool as { query: unknown }).query = patchedQuery;
  (pool as { connect: unknown }).connect = patchedConnect;
  return {
    get refused() {
      return state.refused;
    },
    free() {
      state.full = false;
      (pool as { query: unknown }).query = poolQuery;
      (pool as { connect: unknown }).connect = poolConnect;
    },
  };
}
