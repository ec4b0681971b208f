// Real PostgreSQL and Redis for the tests that need them, from TEST_POSTGRES_URL and TEST_REDIS_URL
// (.ci/run starts both on loopback; see docs/scaling.md to run them yourself). Without them those
// suites are skipped (servers-setup.ts says so once per run); with CI=true a missing server fails.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_POSTGRES_URL = nonEmpty(process.env.TEST_POSTGRES_URL);
export const TEST_REDIS_URL = nonEmpty(process.env.TEST_REDIS_URL);

export interface TestDatabase {
  url: string;
  /** Empties every table the store made (between tests of one file). */
  clear(): Promise<void>;
  drop(): Promise<void>;
}

/** A database of its own for one test file, so that files can run in parallel. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (TEST_POSTGRES_URL === undefined) throw new Error('TEST_POSTGRES_URL is not set');
  const name = `quizbot_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const parsed = new URL(TEST_POSTGRES_URL);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  return {
    url,
    async clear() {
      const client = new pg.Client(url);
      await client.connect();
      try {
        const { rows } = await client.query<{ tablename: string }>(
          'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
        );
        if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((row) => row.tablename).join(', ')}`);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A key prefix no other test uses, for one test's Redis keys. */
export function freshRedisPrefix(label: string): string {
  return `test:${label}:${randomBytes(4).toString('hex')}:`;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client(TEST_POSTGRES_URL);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
