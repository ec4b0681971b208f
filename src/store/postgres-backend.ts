// The PostgreSQL backend, for one or many bot processes on one database: records in Keyv's
// PostgreSQL table, the first answer and its score in one transaction (postgres-answers.ts),
// leaderboards from an index in the database or, with REDIS_URL, from Redis sorted sets
// (postgres-rankings.ts, redis-rankings.ts), and event step locks (postgres-locks.ts).

import { Redis } from 'ioredis';
import type Keyv from 'keyv';
import type { AnswerOutcome, FirstAnswerInput, KeyValueStore, StoreBackend } from './backend.js';
import { PostgresAnswers } from './postgres-answers.js';
import { PostgresStepLocks } from './postgres-locks.js';
import { PostgresRankings } from './postgres-rankings.js';
import { parseStringFreeValue } from './keyv-codec.js';
import { openPostgresKeyv, type PgTable } from './postgres.js';
import type { RangeReadOptions } from './records.js';
import { RedisRankings } from './redis-rankings.js';
import type { StoreLogger } from './sqlite.js';
import { asUnavailable } from './unavailable.js';

export { isPostgresUrl } from './postgres.js';

export interface OpenPostgresOptions {
  redisUrl: string | null;
  redisPrefix: string;
}

/** How long opening waits for Redis before going on without it (it keeps trying meanwhile). */
const REDIS_CONNECT_WAIT_MS = 3_000;

export async function openPostgresBackend(
  url: string,
  namespace: string,
  logger: StoreLogger,
  options: OpenPostgresOptions,
): Promise<StoreBackend> {
  const { pool, keyv, table } = await openPostgresKeyv(url, namespace, logger);
  const indexed = new PostgresRankings(table);
  await indexed.backfill();
  const redis = options.redisUrl === null ? null : await connectRedis(options.redisUrl, logger);
  const rankings =
    redis === null ? indexed : new RedisRankings(redis, options.redisPrefix, pool, table, indexed, logger);
  const answers = new PostgresAnswers(pool, table.codec, {
    versioned: redis !== null,
    ...(rankings instanceof RedisRankings ? { onCommitted: (batch) => rankings.apply(batch) } : {}),
  });
  const stepLocks = new PostgresStepLocks(url, logger);
  return {
    kind: 'postgres',
    keyv,
    kv: postgresKeyValues(keyv, table),
    table,
    rankings,
    stepLocks,
    recordFirstAnswer: (input: FirstAnswerInput): Promise<AnswerOutcome> => answers.record(input),
    async close() {
      await stepLocks.close();
      redis?.disconnect();
      await pool.end();
    },
  };
}

async function connectRedis(url: string, logger: StoreLogger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail fast while disconnected: a leaderboard is then read from PostgreSQL instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let warned = false;
  redis.on('error', (error: unknown) => {
    if (!warned)
      logger.warn({ err: error }, 'Redis unreachable; leaderboards come from PostgreSQL until it is back');
    warned = true;
  });
  redis.on('ready', () => {
    warned = false;
  });
  await Promise.race([redis.connect().catch(() => undefined), delay(REDIS_CONNECT_WAIT_MS)]);
  return redis;
}

function postgresKeyValues(keyv: Keyv, table: PgTable): KeyValueStore {
  const unavailable = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw asUnavailable(error);
    }
  };
  return {
    get: <T>(key: string) => unavailable(async () => (await keyv.get<T>(key)) ?? undefined),
    getMany: (keys) => table.getMany(keys),
    set: (key: string, value: unknown) =>
      unavailable(async () => {
        await keyv.set(key, value);
      }),
    setAtomically: (entries) => table.setAtomically(entries),
    delete: (key: string) => unavailable(() => keyv.delete(key)),
    getByPrefix: <T>(prefix: string, options: RangeReadOptions = {}) =>
      options.numbersOnly
        ? table.getByPrefix<T>(prefix, parseStringFreeValue<T>)
        : table.getByPrefix<T>(prefix),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
