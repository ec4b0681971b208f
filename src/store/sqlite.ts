// Opens Keyv over SQLite tuned for many small writes, and adds what Keyv's API lacks: writing
// several keys atomically, reading every key under a prefix in one indexed query, and batching the
// reads and writes of a crowd into a few statements. Every write, batched or through Keyv, is
// checked to have reached the file the store opened (see store-file.ts).

import { resolve } from 'node:path';
import Keyv from 'keyv';
import { KeyvCodec, prefixEnd } from './keyv-codec.js';
import type { KeyValue } from './backend.js';
import { storeOpenError } from './open-failure.js';
import { KeyvSqliteAdapter, type SqliteAdapterOptions } from './sqlite-adapter.js';
import { StoreFileLostError, prepareStoreFile } from './store-file.js';
import { TurnBatches } from './turn-queue.js';

export interface StoreLogger {
  warn(obj: object, msg: string): void;
}

/** How long a statement waits for a lock held by another connection before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

const URL_SCHEME = 'sqlite://';
const MEMORY_PATH = ':memory:';

export interface OpenSqliteOptions {
  /** Called once, with the first error that found the store file deleted or replaced. */
  onFileLost?: (error: StoreFileLostError) => void;
}

export interface OpenedSqlite {
  keyv: Keyv;
  table: KeyvTable;
  /** 'wal' for a file; 'memory' for `sqlite://:memory:`. */
  journalMode: string;
}

export async function openSqliteKeyv(
  url: string,
  namespace: string,
  logger: StoreLogger,
  options: OpenSqliteOptions = {},
): Promise<OpenedSqlite> {
  if (!url.startsWith(URL_SCHEME)) throw new TypeError(`store url must start with ${URL_SCHEME}: ${url}`);
  const path = url.slice(URL_SCHEME.length);
  if (path.length === 0) throw new TypeError(`store url has no path: ${url}`);
  const inMemory = path === MEMORY_PATH;
  // Absolute, so that the errors name the file wherever the bot was started from.
  const fullPath = inMemory ? path : resolve(path);

  let verifyFile = (): void => undefined;
  if (!inMemory) {
    // First start on a fresh machine: data/ does not exist yet and SQLite will not create it.
    const file = await prepareStoreFile(fullPath, options.onFileLost).catch((error: unknown) => {
      throw storeOpenError(fullPath, error);
    });
    verifyFile = () => file.verify();
  }

  let adapter: VerifiedKeyvSqlite;
  try {
    adapter = new VerifiedKeyvSqlite({ uri: url, busyTimeout: BUSY_TIMEOUT_MS }, verifyFile);
  } catch (error) {
    throw inMemory ? error : storeOpenError(fullPath, error);
  }
  // throwOnErrors: a failed read must reject, not look like "no score yet".
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
  keyv.on('error', (error: unknown) => {
    if (!(error instanceof StoreFileLostError)) logger.warn({ err: error }, 'quiz store error');
  });

  const table = new KeyvTable(adapter, keyv, verifyFile);
  try {
    const journalMode = await applyPragmas(table);
    if (!inMemory && journalMode !== 'wal') {
      logger.warn({ journalMode, path: fullPath }, 'SQLite refused WAL mode; writes will be slower');
    }
    return { keyv, table, journalMode };
  } catch (error) {
    await adapter.close().catch(() => undefined);
    throw inMemory ? error : storeOpenError(fullPath, error);
  }
}

/**
 * The adapter, with each of its writes checked once committed: Keyv's set (and setMany, which
 * calls it), delete and clear all end here. A failed statement, read or write, is checked too:
 * SQLite may fail with a bare SQLITE_IOERR when it needs a file beside the lost one, and the loss
 * says more.
 */
class VerifiedKeyvSqlite extends KeyvSqliteAdapter {
  constructor(
    options: SqliteAdapterOptions,
    private readonly verifyFile: () => void,
  ) {
    super(options);
    const query = this.query;
    this.query = (sql, ...params) =>
      query(sql, ...params).catch((error: unknown) => {
        this.verifyFile();
        throw error;
      });
  }

  override async set(key: string, value: unknown): Promise<void> {
    await super.set(key, value);
    this.verifyFile();
  }

  override async delete(key: string): Promise<boolean> {
    const deleted = await super.delete(key);
    this.verifyFile();
    return deleted;
  }

  override async deleteMany(keys: string[]): Promise<boolean> {
    const deleted = await super.deleteMany(keys);
    this.verifyFile();
    return deleted;
  }

  override async clear(): Promise<void> {
    await super.clear();
    this.verifyFile();
  }
}

/**
 * Runs before any write of ours (the adapter's own CREATE TABLE IF NOT EXISTS goes first; the
 * journal mode still switches because no transaction is open). WAL lets reads proceed during a
 * write and commits with one append; synchronous=NORMAL drops the fsync per commit, which in WAL
 * mode can lose the last commits on power loss but never on a process crash, nor corrupts.
 */
async function applyPragmas(table: KeyvTable): Promise<string> {
  const rows = await table.query<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
  await table.query('PRAGMA synchronous = NORMAL');
  // SQLite's own default page cache (2 MB), as node-sqlite3 had it: better-sqlite3 is built with
  // 16 MB, which showed as 15 MB more RSS in the memory bench for no measurable speed.
  await table.query('PRAGMA cache_size = -2000');
  return rows[0]?.journal_mode ?? 'unknown';
}

export type { KeyValue } from './backend.js';
export { parseStringFreeValue } from './keyv-codec.js';

/**
 * Keys (or rows) one batched statement carries at most. SQLite binds up to 32,766 parameters; far
 * fewer keeps each statement, and so each transaction holding the write lock, short.
 */
export const MAX_KEYS_PER_STATEMENT = 500;

/** Rows a prefix read takes per statement (a few milliseconds of the main thread). */
export const PREFIX_PAGE_ROWS = 2_000;

/**
 * Direct access to the adapter's table, reading and writing values exactly as Keyv would.
 * `verifyWrite` runs after each committed write statement and throws if the write did not reach
 * the store file; `query` is for reads and pragmas, and is not checked.
 *
 * Even prepared, a statement costs more than SQLite spends on a one-row read or write, so
 * `getMany` and `setAtomically` are batched: every call made in the same event-loop turn shares
 * one `SELECT ... IN (...)`, or one multi-row upsert (one implicit transaction, one commit),
 * respectively.
 */
export class KeyvTable {
  /** Keyv's table in the file. */
  readonly name: string;
  private readonly codec: KeyvCodec;
  private readonly batches = new TurnBatches(MAX_KEYS_PER_STATEMENT, {
    read: (keys) => this.query<{ key: string; value: string }>(this.readSql, JSON.stringify(keys)),
    write: async (rows) => {
      await this.query(this.batchUpsertSql, JSON.stringify(rows));
      // One check per statement, however many clicks it carried.
      this.verifyWrite();
    },
  });

  constructor(
    private readonly adapter: KeyvSqliteAdapter,
    keyv: Keyv,
    private readonly verifyWrite: () => void = () => undefined,
  ) {
    this.name = adapter.opts.table;
    this.codec = new KeyvCodec(keyv);
  }

  async query<Row = unknown>(sql: string, ...params: unknown[]): Promise<Row[]> {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- SQL rows are untyped; each caller names the columns it selected
    return (await this.adapter.query(sql, ...params)) as Row[];
  }

  /** The key and value columns Keyv would store for `entry` (for this class and bulk seeding). */
  toRow(entry: KeyValue): Promise<[string, string]> {
    return this.codec.toRow(entry.key, entry.value);
  }

  /**
   * The values of `keys` (undefined where none), as `keyv.get` would return them, e.g.
   * `getMany<[Answer, Score]>([answerKey, scoreKey])`. Batched with the other calls of this turn;
   * if the batch's query fails, every call in it rejects.
   */
  async getMany<T extends unknown[]>(
    keys: [...{ [K in keyof T]: string }],
  ): Promise<{ [K in keyof T]: T[K] | undefined }> {
    const fullKeys = keys.map((key: string) => this.codec.fullKey(key));
    const stored = await this.batches.read(fullKeys);
    // Decoded here, per caller, so that one unreadable value fails only the call that asked for it.
    const values: unknown[] = [];
    let later = false;
    for (const raw of stored) {
      const value = this.codec.read(raw);
      if (value instanceof Promise) later = true;
      values.push(value);
    }
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- Keyv values are untyped; the caller names what it stored under each key
    return (later ? await Promise.all(values) : values) as { [K in keyof T]: T[K] | undefined };
  }

  /**
   * Writes every entry in one statement, hence one transaction: either all of them are written or
   * none is, and the promise resolves only once they are committed. Batched with the other calls of
   * this turn, but one call's entries are never split across statements; where two calls of a batch
   * write the same key, the later call's value is the one kept (SQLite applies a multi-row upsert
   * row by row, and a batch's statements run in order). If a statement fails, every call it
   * carried rejects.
   */
  async setAtomically(entries: KeyValue[]): Promise<void> {
    if (entries.length === 0) return;
    // Encoded synchronously when the values are plain JSON (every record the bot writes).
    const encoded = entries.map((entry) => this.codec.encode(entry.value));
    const values = encoded.every((value) => typeof value === 'string')
      ? encoded
      : await Promise.all(encoded.map(async (value) => value));
    const rows = entries.map((entry, i): [string, string] => [
      this.codec.fullKey(entry.key),
      values[i] ?? '',
    ]);
    await this.batches.write(rows);
  }

  /**
   * A batch's reads and writes take their keys (rows) as one JSON array, so each is one statement
   * prepared once, whatever the batch's size: SQL with a `?` per key would be a new statement to
   * prepare for every batch size (a crowd gives hundreds of sizes).
   */
  private get readSql(): string {
    return `SELECT key, value FROM ${this.name} WHERE key IN (SELECT value FROM json_each(?))`;
  }

  /** `[key, value]` rows upserted in array order: where a batch writes one key twice, the later row wins. */
  private get batchUpsertSql(): string {
    return `INSERT INTO ${this.name} (key, value)
      SELECT row.value ->> 0, row.value ->> 1 FROM json_each(?) AS row WHERE true ORDER BY row.key
      ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
  }

  /** `INSERT ... VALUES (?, ?) x rows ... ON CONFLICT DO UPDATE`, the adapter's own upsert. */
  upsertSql(rows: number): string {
    const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
    return `INSERT INTO ${this.name} (key, value) VALUES ${values} ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
  }

  /**
   * Every entry whose key starts with `prefix`, keys returned without it. A key range rather
   * than LIKE: it uses the primary-key index and needs no escaping of '%' or '_'. `decode`
   * defaults to Keyv's own deserializer. Read PREFIX_PAGE_ROWS rows at a time, letting the event
   * loop run between pages: the driver reads on the main thread, and a range of 100,000 rows in
   * one go would hold every click for a tenth of a second.
   */
  async getByPrefix<T>(
    prefix: string,
    decode: (stored: string) => T | undefined | Promise<T | undefined> = (stored) =>
      this.codec.decode<T>(stored),
  ): Promise<Array<{ suffix: string; value: T }>> {
    const low = this.codec.fullKey(prefix);
    const high = prefixEnd(low);
    const entries: Array<{ suffix: string; value: T }> = [];
    let rows = await this.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${this.name} WHERE key >= ? AND key < ? ORDER BY key LIMIT ${PREFIX_PAGE_ROWS}`,
      low,
      high,
    );
    for (;;) {
      for (const row of rows) {
        const decoded = decode(row.value);
        // Usually synchronous; awaiting 100,000 plain values one by one would cost a build dearly.
        const value = decoded instanceof Promise ? await decoded : decoded;
        if (value === undefined) throw new Error(`unreadable value under ${row.key}`);
        entries.push({ suffix: row.key.slice(low.length), value });
      }
      const last = rows[rows.length - 1];
      if (rows.length < PREFIX_PAGE_ROWS || last === undefined) return entries;
      await new Promise((resolve) => setImmediate(resolve));
      rows = await this.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${this.name} WHERE key > ? AND key < ? ORDER BY key LIMIT ${PREFIX_PAGE_ROWS}`,
        last.key,
        high,
      );
    }
  }
}
