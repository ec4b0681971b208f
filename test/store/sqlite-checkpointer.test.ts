// The WAL of a busy store is copied back by the checkpoint worker, not inside the bot's commits, and
// stays bounded. This needs the worker's own (real) timer: the waits below are bounded polls.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { CHECKPOINTER_AFTER_WRITES, type KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import { openStore } from '../../src/store/index.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'quizbot-checkpoint-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function poll(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('GIVEN a busy store THEN a worker checkpoints its WAL, which stays bounded, and every write is kept', async () => {
  const path = join(folder, 'quiz.sqlite');
  const store = await openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } });
  const adapter = store.keyv.store as KeyvSqliteAdapter;
  const autocheckpoint = async () =>
    ((await adapter.query('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>)[0]
      ?.wal_autocheckpoint;
  expect(await autocheckpoint()).toBe(1000);

  const padding = 'x'.repeat(2_000);
  let written = 0;
  const write = async (count: number) => {
    for (let i = 0; i < count; i++, written++) await store.setMeta(`m${written}`, { n: written, padding });
  };
  await write(CHECKPOINTER_AFTER_WRITES);
  await poll(async () => (await autocheckpoint()) === 0);

  // About 20 MB of WAL in all without checkpoints (this connection makes none now); the worker
  // copies it back between rounds, so SQLite reuses the file from its start.
  let largest = 0;
  for (let round = 0; round < 12; round++) {
    await write(100);
    largest = Math.max(largest, statSync(`${path}-wal`).size);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(largest).toBeLessThan(6 * 1024 * 1024);

  await store.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  const reopened = await openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } });
  expect(await reopened.getMeta('m0')).toEqual({ n: 0, padding });
  expect(await reopened.getMeta(`m${written - 1}`)).toEqual({ n: written - 1, padding });
  await reopened.close();
});
