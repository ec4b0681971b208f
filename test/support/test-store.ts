// The store a test file runs on. Normally SQLite; in the "postgres" test project (vitest.config.ts,
// when TEST_POSTGRES_URL is set) the same tests run on PostgreSQL: a database of the file's own,
// emptied for each fresh store, so the stored features show they behave the same on both backends.
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore, type QuizStore } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from './servers.js';

export const TEST_STORE_BACKEND = process.env.TEST_STORE_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

let database: Promise<TestDatabase> | undefined;
if (TEST_STORE_BACKEND === 'postgres') {
  afterAll(async () => {
    await (await database)?.drop();
  });
}

/**
 * The URL of an empty store: a SQLite file in `dir` (in memory without one), or this file's
 * PostgreSQL database, emptied. Open it as often as the test likes (a restart keeps what it holds).
 */
export async function freshStoreUrl(dir?: string): Promise<string> {
  if (TEST_STORE_BACKEND === 'sqlite')
    return dir === undefined ? 'sqlite://:memory:' : `sqlite://${join(dir, 'quiz.sqlite')}`;
  database ??= createTestDatabase('feature');
  const db = await database;
  await db.clear();
  return db.url;
}

/** An empty store on this run's backend. */
export async function openFreshStore(): Promise<QuizStore> {
  return openStore(await freshStoreUrl(), { logger: { warn: () => undefined } });
}
