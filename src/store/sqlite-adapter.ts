// Keyv's store adapter for SQLite on better-sqlite3. The table, its schema and every statement are
// those of @keyv/sqlite 4 (`keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`, upserts, LIKE for
// clear), so a store file written by either reads back through the other: existing files keep
// working. What changes is the driver: node-sqlite3 builds a Statement per call and runs it on
// libuv's thread pool, two round trips and a callback each; better-sqlite3 runs a statement
// prepared once, in place, in microseconds for the store's one-row and one-batch statements.
//
// Every statement, Keyv's and the store's own, goes through `query`, one place for the file check
// (sqlite.ts) and for tests that count or refuse statements.

import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';

export interface SqliteAdapterOptions {
  /** `sqlite://path` or `sqlite://:memory:`. */
  uri: string;
  /** How long a statement waits for a lock held by another connection, ms. */
  busyTimeout?: number;
  table?: string;
}

/** Prepared statements kept per connection; past this the oldest is dropped. */
const KEPT_STATEMENTS = 256;

/**
 * Write statements after which a file store gets its checkpoint worker (sqlite-checkpointer.ts):
 * a busy store, not each short-lived one a test or a command-line tool opens.
 */
export const CHECKPOINTER_AFTER_WRITES = 200;

/** SQLite's own default, restored if the worker fails. */
const AUTOCHECKPOINT_PAGES = 1000;

export class KeyvSqliteAdapter extends EventEmitter {
  readonly ttlSupport = false;
  readonly opts: { uri: string; table: string; dialect: 'sqlite' };
  namespace?: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly path: string;
  private readonly busyTimeout: number;
  private writes = 0;
  private checkpointer: Checkpointer | null = null;

  constructor(options: SqliteAdapterOptions) {
    super();
    this.opts = { uri: options.uri, table: tableName(options.table ?? 'keyv'), dialect: 'sqlite' };
    this.path = options.uri.replace(/^sqlite:\/\//, '');
    this.busyTimeout = options.busyTimeout ?? 0;
    this.db = new Database(this.path, { timeout: this.busyTimeout });
    // Nothing checkpoints inside a commit, even before the worker starts: SQLite's own checkpoint
    // runs on this thread with two fsyncs, and the first writes after a start on a large store
    // crossed its 1,000 pages (clicks held 95 to 500 ms in the leaderboard bench). A store closed
    // before the worker starts checkpoints as it closes.
    if (this.path !== ':memory:' && this.path !== '') this.db.pragma('wal_autocheckpoint = 0');
    this.run(`CREATE TABLE IF NOT EXISTS ${this.opts.table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`, []);
  }

  /**
   * Runs one statement now (prepared once per SQL text) and resolves with its rows (none for a
   * write). The promise is only the interface: the statement has run, and committed when it is
   * outside a transaction, by the time this returns. A property, as @keyv/sqlite's is: it may be
   * taken off the adapter and called alone, or replaced (sqlite.ts checks the file through it).
   */
  query = (sql: string, ...params: unknown[]): Promise<unknown[]> => {
    try {
      return Promise.resolve(this.run(sql, params));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  close = async (): Promise<void> => {
    this.statements.clear();
    // First, so that this connection is the last one and its close checkpoints and removes the WAL.
    await this.checkpointer?.stop();
    this.checkpointer = null;
    // Closed underneath already (tests do): nothing left to do.
    if (this.db.open) this.db.close();
  };

  async get(key: string): Promise<string | undefined> {
    const rows = await this.query(`SELECT * FROM ${this.opts.table} WHERE key = ?`, key);
    return valueOf(rows[0]);
  }

  async getMany(keys: string[]): Promise<Array<string | undefined>> {
    const rows = await this.query(
      `SELECT * FROM ${this.opts.table} WHERE key IN (SELECT value FROM json_each(?))`,
      JSON.stringify(keys),
    );
    const found = new Map<string, string | undefined>();
    for (const row of rows) if (isRow(row)) found.set(row.key, valueOf(row));
    return keys.map((key) => found.get(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.query(
      `INSERT INTO ${this.opts.table} (key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`,
      key,
      value,
    );
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.query(`SELECT key FROM ${this.opts.table} WHERE key = ?`, key);
    if (rows.length === 0) return false;
    await this.query(`DELETE FROM ${this.opts.table} WHERE key = ?`, key);
    return true;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const found = await this.getMany(keys);
    if (found.every((value) => value === undefined)) return false;
    await this.query(
      `DELETE FROM ${this.opts.table} WHERE key IN (SELECT value FROM json_each(?))`,
      JSON.stringify(keys),
    );
    return true;
  }

  async clear(): Promise<void> {
    await this.query(
      `DELETE FROM ${this.opts.table} WHERE key LIKE ?`,
      this.namespace ? `${this.namespace}:%` : '%',
    );
  }

  async has(key: string): Promise<boolean> {
    const rows = await this.query(`SELECT key FROM ${this.opts.table} WHERE key = ?`, key);
    return rows.length > 0;
  }

  /** Every entry of `namespace`, in key order, a page at a time. */
  async *iterator(namespace?: string): AsyncGenerator<[string, string | undefined]> {
    const pattern = `${namespace ? `${namespace}:` : ''}%`;
    let after = '';
    for (;;) {
      const rows = await this.query(
        `SELECT key, value FROM ${this.opts.table} WHERE key LIKE ? AND key > ? ORDER BY key LIMIT 100`,
        pattern,
        after,
      );
      for (const row of rows) {
        if (!isRow(row)) continue;
        after = row.key;
        yield [row.key, valueOf(row)];
      }
      if (rows.length < 100) return;
    }
  }

  async disconnect(): Promise<void> {
    await this.close();
  }

  private run(sql: string, params: unknown[]): unknown[] {
    const statement = this.prepared(sql);
    if (statement.reader) return statement.all(...params);
    statement.run(...params);
    if (++this.writes === CHECKPOINTER_AFTER_WRITES) this.checkpointInWorker();
    return [];
  }

  /** From now on the WAL is copied back by a worker, not inside this thread's commits. */
  private checkpointInWorker(): void {
    if (this.path === ':memory:' || this.path === '' || !this.db.open) return;
    const autocheckpoint = (pages: number) => {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${pages}`);
    };
    this.checkpointer = startCheckpointer(
      this.path,
      this.busyTimeout,
      () => autocheckpoint(0),
      // Not fatal: SQLite goes back to checkpointing inside commits.
      () => {
        this.checkpointer = null;
        autocheckpoint(AUTOCHECKPOINT_PAGES);
      },
    );
  }

  private prepared(sql: string): Database.Statement {
    const known = this.statements.get(sql);
    if (known !== undefined) return known;
    const statement = this.db.prepare(sql);
    if (this.statements.size >= KEPT_STATEMENTS) {
      const oldest = this.statements.keys().next();
      if (oldest.done !== true) this.statements.delete(oldest.value);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

/** As @keyv/sqlite names it: letters, digits and underscores, starting with a letter. */
function tableName(input: string): string {
  const sanitized = input.replace(/[^a-zA-Z0-9_]/g, '');
  if (sanitized.length === 0) throw new Error('Invalid table name: must contain alphanumeric characters');
  return /^[a-zA-Z]/.test(sanitized) ? sanitized : `_${sanitized}`;
}

function isRow(row: unknown): row is { key: string; value: unknown } {
  return typeof row === 'object' && row !== null && 'key' in row && typeof row.key === 'string';
}

function valueOf(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null || !('value' in row)) return undefined;
  return typeof row.value === 'string' ? row.value : undefined;
}
