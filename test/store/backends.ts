// The store backends the store suites run against: SQLite always; PostgreSQL, and PostgreSQL with
// Redis leaderboards, when TEST_POSTGRES_URL / TEST_REDIS_URL name real servers (test/support/servers.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenStoreOptions } from '../../src/store/index.js';
import {
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  freshRedisPrefix,
  type TestDatabase,
} from '../support/servers.js';

export interface BackendCase {
  name: 'sqlite' | 'postgres' | 'postgres+redis';
  /** False when its servers were not given: the suite is skipped. */
  available: boolean;
  /** Once per file. */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** Before each test: an empty store's URL and the options to open it with. */
  fresh(): Promise<{ url: string; options: OpenStoreOptions }>;
}

export function sqliteCase(): BackendCase {
  let folder: string | undefined;
  return {
    name: 'sqlite',
    available: true,
    async setup() {},
    async teardown() {
      if (folder) await rm(folder, { recursive: true, force: true });
    },
    async fresh() {
      if (folder) await rm(folder, { recursive: true, force: true });
      folder = await mkdtemp(join(tmpdir(), 'quizbot-store-'));
      return { url: `sqlite://${join(folder, 'quiz.sqlite')}`, options: {} };
    },
  };
}

export function postgresCase(label: string, withRedis: boolean): BackendCase {
  let database: TestDatabase | undefined;
  const available = TEST_POSTGRES_URL !== undefined && (!withRedis || TEST_REDIS_URL !== undefined);
  return {
    name: withRedis ? 'postgres+redis' : 'postgres',
    available,
    async setup() {
      if (available) database = await createTestDatabase(`${label}${withRedis ? '_redis' : ''}`);
    },
    async teardown() {
      await database?.drop();
    },
    async fresh() {
      if (database === undefined) throw new Error('no test database');
      await database.clear();
      return {
        url: database.url,
        options: withRedis ? { redisUrl: TEST_REDIS_URL ?? null, redisPrefix: freshRedisPrefix(label) } : {},
      };
    },
  };
}

export function allCases(label: string): BackendCase[] {
  return [sqliteCase(), postgresCase(label, false), postgresCase(label, true)];
}
