// PostgreSQL through Keyv's own adapter (@keyv/postgres), on a pool of ours so that the store can
// also run transactions and advisory locks on the same database. The adapter's table keeps every
// record (scores included); beside it, two small tables index the leaderboards (see
// postgres-rankings.ts). Keys use the C collation, so a key range is a prefix and matches the
// byte order the rank keys rely on.

import Keyv from 'keyv';
import KeyvPostgres from '@keyv/postgres';
import type { KeyvPostgresOptions } from '@keyv/postgres';
import pg from 'pg';
import type { KeyValue, StoredValueDecoder } from './backend.js';
import { KeyvCodec, prefixEnd } from './keyv-codec.js';
import { StoreOpenError } from './open-failure.js';
import type { StoreLogger } from './sqlite.js';
import { TurnBatches } from './turn-queue.js';
import { asUnavailable } from './unavailable.js';

export const KEYV_TABLE = 'keyv';
export const LEADERBOARD_TABLE = 'quizbot_leaderboard';
/**
 * Per guild and points value: how many members have it. A member's place is then the sum of the
 * buckets above theirs plus a count inside their own bucket, not a count of everyone above them.
 */
export const LEADERBOARD_POINTS_TABLE = 'quizbot_leaderboard_points';
/** Per guild: how many members are ranked, and (with Redis) the version of its leaderboard. */
export const LEADERBOARD_GUILDS_TABLE = 'quizbot_leaderboard_guilds';
/** Keys up to this long (the adapter's default, 255, is short for long lecture ids). */
const KEY_SIZE = 1000;
/** Rows one batched statement carries at most. */
const MAX_ROWS_PER_STATEMENT = 1000;

export { isPostgresUrl } from './store-url.js';

/** The URL without its password, for messages and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

export interface OpenedPostgres {
  pool: pg.Pool;
  keyv: Keyv;
  table: PgTable;
}

export async function openPostgresKeyv(
  url: string,
  namespace: string,
  logger: StoreLogger,
): Promise<OpenedPostgres> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A click waits at most this long for a connection before the member is told to try again.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle client whose server went away emits here; without a listener that would end the process.
  pool.on('error', (error) =>
    logger.warn({ err: error }, 'PostgreSQL connection lost; reconnecting on next use'),
  );
  try {
    await createSchema(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreOpenError(describePostgresUrl(url), errorText(error), { cause: error });
  }
  const adapter = new PooledKeyvPostgres(url, pool);
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
  keyv.on('error', (error: unknown) => logger.warn({ err: error }, 'quiz store error'));
  return { pool, keyv, table: new PgTable(pool, new KeyvCodec(keyv)) };
}

/**
 * The adapter, with its connection taken from our pool: its own is one pool per process shared by
 * every instance (and replaced, not closed, when another URL is opened).
 */
class PooledKeyvPostgres extends KeyvPostgres {
  constructor(url: string, pool: pg.Pool) {
    // The pool travels in the options because the adapter connects from its constructor.
    const options: KeyvPostgresOptions & { pool: pg.Pool } = {
      uri: url,
      table: KEYV_TABLE,
      keySize: KEY_SIZE,
      pool,
    };
    super(options);
  }

  override connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
    const pool = poolOf(this.opts);
    return Promise.resolve(async (sql: string, values?: unknown): Promise<unknown[]> => {
      // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the adapter passes an array of values or nothing
      const result = await pool.query<Record<string, unknown>>(sql, values as unknown[] | undefined);
      return result.rows;
    });
  }

  /** The pool is ours: the store closes it. */
  override async disconnect(): Promise<void> {}
}

/**
 * Runs `work` on a client of its own (a transaction), in BEGIN ... COMMIT when `begin` is given,
 * rolled back on failure. While checked out the client has no pool listener: a connection that
 * breaks between two statements would emit an 'error' nobody hears and end the process, so one
 * listens here (the next statement rejects with the cause anyway). A client that failed is
 * discarded rather than reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  begin: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const ignore = (): void => undefined;
  const client = await checkOut(pool, ignore);
  let failure: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failure);
  }
}

/**
 * A client from the pool with `onError` listening from the moment the pool hands it over. Not
 * `await pool.connect()`: a new client is handed over while pg is still parsing the server's bytes,
 * and a server shutting down sends FATAL 57P01 right behind the start-up's ReadyForQuery, so the
 * error was emitted before an awaiting caller could listen, and ended the process.
 */
function checkOut(pool: pg.Pool, onError: (error: Error) => void): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if ((error !== undefined && error !== null) || client === undefined) {
        reject(error ?? new Error('the PostgreSQL pool gave no client'));
        return;
      }
      client.on('error', onError);
      resolve(client);
    });
  });
}

function poolOf(options: object): pg.Pool {
  const pool: unknown = 'pool' in options ? options.pool : undefined;
  if (!(pool instanceof pg.Pool)) throw new TypeError('the PostgreSQL adapter needs its pool');
  return pool;
}

/**
 * Every table the store uses, created once; an advisory lock keeps two processes starting at once
 * from racing each other's CREATE (PostgreSQL's IF NOT EXISTS is not safe against that).
 */
async function createSchema(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, 'BEGIN', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(722, 0)');
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${KEYV_TABLE} (key VARCHAR(${KEY_SIZE}) COLLATE "C" PRIMARY KEY, value TEXT)`,
    );
    // A table made elsewhere (by the adapter itself) sorts keys by the database's locale: key
    // ranges then need an index in byte order.
    const { rows } = await client.query<{ collation: string | null }>(
      `SELECT collation_name AS collation FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'key'`,
      [KEYV_TABLE],
    );
    if (rows[0]?.collation !== 'C') {
      await client.query(
        `CREATE INDEX IF NOT EXISTS ${KEYV_TABLE}_key_bytes ON ${KEYV_TABLE} ((key COLLATE "C"))`,
      );
    }
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${LEADERBOARD_TABLE} (
         guild_id TEXT COLLATE "C" NOT NULL,
         user_id TEXT COLLATE "C" NOT NULL,
         rank_key TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (guild_id, user_id))`,
    );
    await client.query(
      `CREATE INDEX IF NOT EXISTS ${LEADERBOARD_TABLE}_rank ON ${LEADERBOARD_TABLE} (guild_id, rank_key)`,
    );
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${LEADERBOARD_POINTS_TABLE} (
         guild_id TEXT COLLATE "C" NOT NULL,
         points_key TEXT COLLATE "C" NOT NULL,
         members BIGINT NOT NULL,
         PRIMARY KEY (guild_id, points_key))`,
    );
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${LEADERBOARD_GUILDS_TABLE} (
         guild_id TEXT COLLATE "C" PRIMARY KEY,
         members BIGINT NOT NULL DEFAULT 0,
         version BIGINT NOT NULL DEFAULT 0)`,
    );
  });
}

/**
 * The adapter's table read and written directly, values exactly as Keyv stores them. As over
 * SQLite, the reads and the writes made in one event-loop turn share a statement each (a crowd's
 * clicks cost a few round trips, not one each). Failures reject as StoreUnavailableError when the
 * database could not be reached.
 */
export class PgTable {
  private readonly batches = new TurnBatches(MAX_ROWS_PER_STATEMENT, {
    read: (keys) =>
      this.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${KEYV_TABLE} WHERE key = ANY($1::text[])`,
        [keys],
      ),
    // One statement per pack; PostgreSQL refuses to upsert one row twice in a statement, so each
    // key keeps its last value.
    write: async (rows) => {
      const latest = new Map<string, string>();
      for (const [key, value] of rows) latest.set(key, value);
      await this.query(
        `INSERT INTO ${KEYV_TABLE} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
          ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [[...latest.keys()], [...latest.values()]],
      );
    },
  });

  constructor(
    readonly pool: pg.Pool,
    readonly codec: KeyvCodec,
  ) {}

  async getMany<T extends unknown[]>(
    keys: [...{ [K in keyof T]: string }],
  ): Promise<{ [K in keyof T]: T[K] | undefined }> {
    const fullKeys = keys.map((key: string) => this.codec.fullKey(key));
    const stored = await this.batches.read(fullKeys);
    const values = await Promise.all(stored.map((raw) => this.codec.read(raw)));
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- Keyv values are untyped; the caller names what it stored under each key
    return values as { [K in keyof T]: T[K] | undefined };
  }

  /** One statement, hence one transaction; where calls of a batch write one key, the later wins. */
  async setAtomically(entries: KeyValue[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = await Promise.all(entries.map((entry) => this.codec.toRow(entry.key, entry.value)));
    await this.batches.write(rows);
  }

  /** Keys in byte order (the C collation); `decode` defaults to Keyv's own reader. */
  async getByPrefix<T>(
    prefix: string,
    decode: StoredValueDecoder<T> = (stored) => this.codec.decode<T>(stored),
  ): Promise<Array<{ suffix: string; value: T }>> {
    const low = this.codec.fullKey(prefix);
    const rows = await this.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${KEYV_TABLE}
        WHERE key COLLATE "C" >= $1 AND key COLLATE "C" < $2 ORDER BY key COLLATE "C"`,
      [low, prefixEnd(low)],
    );
    const entries: Array<{ suffix: string; value: T }> = [];
    for (const row of rows) {
      const decoded = decode(row.value);
      // Usually synchronous; awaiting thousands of plain values one by one would cost dearly.
      const value = decoded instanceof Promise ? await decoded : decoded;
      if (value === undefined) throw new Error(`unreadable value under ${row.key}`);
      entries.push({ suffix: row.key.slice(low.length), value });
    }
    return entries;
  }

  async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, values)).rows;
    } catch (error) {
      throw asUnavailable(error);
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
