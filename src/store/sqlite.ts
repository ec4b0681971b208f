// Opens Keyv over SQLite tuned for many small writes, and adds the two things Keyv's API lacks:
// writing several keys atomically, and reading every key under a prefix in one indexed query.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

export interface StoreLogger {
  warn(obj: object, msg: string): void;
}

/** How long a statement waits for a lock held by another connection before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

const URL_SCHEME = 'sqlite://';
const MEMORY_PATH = ':memory:';

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
): Promise<OpenedSqlite> {
  if (!url.startsWith(URL_SCHEME)) throw new TypeError(`store url must start with ${URL_SCHEME}: ${url}`);
  const path = url.slice(URL_SCHEME.length);
  if (path.length === 0) throw new TypeError(`store url has no path: ${url}`);
  // First start on a fresh machine: data/ does not exist yet and SQLite will not create it.
  if (path !== MEMORY_PATH) await mkdir(dirname(path), { recursive: true });

  const adapter = new KeyvSqlite({ uri: url, busyTimeout: BUSY_TIMEOUT_MS });
  // throwOnErrors: a failed read must reject, not look like "no score yet".
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
  // Keyv forwards the adapter's 'error' events (a Node emitter, fatal without a listener) here.
  keyv.on('error', (error: unknown) => logger.warn({ err: error }, 'quiz store error'));

  const table = new KeyvTable(adapter, keyv);
  try {
    const journalMode = await applyPragmas(table);
    if (path !== MEMORY_PATH && journalMode !== 'wal') {
      logger.warn({ journalMode, path }, 'SQLite refused WAL mode; writes will be slower');
    }
    return { keyv, table, journalMode };
  } catch (error) {
    await adapter.close().catch(() => undefined);
    throw error;
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
  return rows[0]?.journal_mode ?? 'unknown';
}

export interface KeyValue {
  key: string;
  value: unknown;
}

/** Direct access to the adapter's table, writing values exactly as Keyv would. */
export class KeyvTable {
  private readonly name: string;

  constructor(
    private readonly adapter: KeyvSqlite,
    private readonly keyv: Keyv,
  ) {
    this.name = adapter.opts.table ?? 'keyv';
  }

  async query<Row = unknown>(sql: string, ...params: unknown[]): Promise<Row[]> {
    return (await this.adapter.query(sql, ...params)) as Row[];
  }

  /** The key and value columns Keyv would store for `entry` (for this class and bulk seeding). */
  async toRow(entry: KeyValue): Promise<[string, string]> {
    const value = await this.keyv.serialize?.({ value: entry.value, expires: undefined });
    if (typeof value !== 'string') throw new TypeError('the store needs a string serializer');
    return [this.fullKey(entry.key), value];
  }

  /** One INSERT statement, hence one transaction: either every entry is written or none is. */
  async setAtomically(entries: KeyValue[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = await Promise.all(entries.map((entry) => this.toRow(entry)));
    await this.query(this.upsertSql(rows.length), ...rows.flat());
  }

  /** `INSERT ... VALUES (?, ?) x rows ... ON CONFLICT DO UPDATE`, the adapter's own upsert. */
  upsertSql(rows: number): string {
    const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
    return `INSERT INTO ${this.name} (key, value) VALUES ${values} ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
  }

  /**
   * Every entry whose key starts with `prefix`, keys returned without it. A key range rather
   * than LIKE: it uses the primary-key index and needs no escaping of '%' or '_'. `decode`
   * defaults to Keyv's own deserializer.
   */
  async getByPrefix<T>(
    prefix: string,
    decode: (stored: string) => T | undefined | Promise<T | undefined> = (stored) =>
      this.keyvDecode<T>(stored),
  ): Promise<Array<{ suffix: string; value: T }>> {
    const low = this.fullKey(prefix);
    const high = low.slice(0, -1) + String.fromCharCode(low.charCodeAt(low.length - 1) + 1);
    const rows = await this.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${this.name} WHERE key >= ? AND key < ?`,
      low,
      high,
    );
    const entries: Array<{ suffix: string; value: T }> = [];
    for (const row of rows) {
      const decoded = decode(row.value);
      // Usually synchronous; awaiting 100,000 plain values one by one would cost a build dearly.
      const value = decoded instanceof Promise ? await decoded : decoded;
      if (value === undefined) throw new Error(`unreadable value under ${row.key}`);
      entries.push({ suffix: row.key.slice(low.length), value });
    }
    return entries;
  }

  private async keyvDecode<T>(stored: string): Promise<T | undefined> {
    if (this.keyv.deserialize === undefined) throw new TypeError('the store needs a deserializer');
    return (await this.keyv.deserialize<T>(stored))?.value;
  }

  private fullKey(key: string): string {
    return this.keyv.namespace ? `${this.keyv.namespace}:${key}` : key;
  }
}

/**
 * Reads a stored value that holds no strings (numbers, booleans and objects of them): Keyv's
 * default serializer writes those as plain JSON `{"value":...}`, and skipping its reviver (which
 * unescapes strings and rebuilds Buffers) reads 100,000 score records five times faster.
 */
export function parseStringFreeValue<T>(stored: string): T | undefined {
  const parsed = JSON.parse(stored) as { value?: T } | null;
  return parsed?.value;
}
