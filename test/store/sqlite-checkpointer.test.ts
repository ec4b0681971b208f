// The WAL of a busy store is copied back by the checkpoint worker, not inside the bot's commits, and
// stays bounded. This needs the worker's own (real) timer: the waits below are bounded polls, each for
// something the worker does (not for a span of time), so a loaded machine only makes them longer.
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** SQLite's WAL index (the -shm file): frames in the log, and how many are copied back already. */
function walFrames(path: string): { inLog: number; copiedBack: number } {
  const index = readFileSync(`${path}-shm`);
  // WalIndexHdr.mxFrame at byte 16, WalCkptInfo.nBackfill at byte 96, in the machine's byte order.
  return { inLog: index.readUInt32LE(16), copiedBack: index.readUInt32LE(96) };
}

async function poll(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
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
  // Never inside this connection's commits, even before the worker starts.
  expect(await autocheckpoint()).toBe(0);

  const padding = 'x'.repeat(2_000);
  let written = 0;
  const write = async (count: number) => {
    for (let i = 0; i < count; i++, written++) await store.setMeta(`m${written}`, { n: written, padding });
  };
  await write(CHECKPOINTER_AFTER_WRITES);

  // About 20 MB of WAL in all without checkpoints (this connection makes none now). The worker copies
  // the log back once it passes 1 MB, and SQLite then reuses the file from its start: after each
  // round, either the log is still under that mark or the worker has copied all of it back.
  let largest = 0;
  for (let round = 0; round < 12; round++) {
    await write(100);
    largest = Math.max(largest, statSync(`${path}-wal`).size);
    await poll(() => {
      const frames = walFrames(path);
      return Promise.resolve(
        statSync(`${path}-wal`).size < 1024 * 1024 || frames.copiedBack === frames.inLog,
      );
    });
  }
  expect(largest).toBeLessThan(6 * 1024 * 1024);

  await store.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  const reopened = await openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } });
  expect(await reopened.getMeta('m0')).toEqual({ n: 0, padding });
  expect(await reopened.getMeta(`m${written - 1}`)).toEqual({ n: written - 1, padding });
  await reopened.close();
}, 60_000);

it('GIVEN a store just opened THEN its first writes never checkpoint inside a commit, however much WAL they make', async () => {
  const path = join(folder, 'quiz.sqlite');
  const store = await openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } });
  // About ten pages each, so the WAL passes SQLite's own mark (1,000 pages) before the worker starts.
  const padding = 'x'.repeat(40_000);
  for (let n = 0; n < CHECKPOINTER_AFTER_WRITES - 20; n++) await store.setMeta(`m${n}`, { n, padding });
  const frames = walFrames(path);
  expect(frames.inLog).toBeGreaterThan(1_000);
  expect(frames.copiedBack).toBe(0);
  await store.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  const reopened = await openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } });
  expect(await reopened.getMeta('m0')).toEqual({ n: 0, padding });
  await reopened.close();
}, 60_000);
