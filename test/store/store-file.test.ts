// The store's file on disk: every kind of write fails once the file is deleted or replaced under
// a running store, and a store that cannot be opened names its path and why.
import { chmod, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventStore } from '../../src/events/store.js';
import { openStore, type AnswerInput, type QuizStore } from '../../src/store/index.js';
import { eventInput } from '../events/fixtures.js';

let folder: string;
let file: string;
let store: QuizStore | undefined;
const onFileLost = vi.fn();

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'quizbot-store-file-'));
  file = join(folder, 'data', 'quiz.sqlite');
  onFileLost.mockReset();
});

afterEach(async () => {
  await store?.close().catch(() => undefined);
  store = undefined;
  await rm(folder, { recursive: true, force: true });
});

async function open(): Promise<QuizStore> {
  store = await openStore(`sqlite://${file}`, { logger: { warn: vi.fn() }, onFileLost });
  return store;
}

function answer(userId: string): AnswerInput {
  return { guildId: '100', userId, questionKey: 'lecture:0:0:abc', choice: 1, correct: true, at: 1_000 };
}

const WRITES: [string, (store: QuizStore) => Promise<unknown>][] = [
  ['a click (batched answer and score)', (s) => s.recordAnswer(answer('bob'))],
  ['a meta value', (s) => s.setMeta('registered', 'hash')],
  ['a quiz event scheduled (keyv.set)', (s) => new EventStore(s.keyv).create(eventInput(), Date.now())],
  ['keyv.set', (s) => s.keyv.set('other', 1)],
  ['keyv.setMany', (s) => s.keyv.setMany([{ key: 'other', value: 1 }])],
  ['keyv.delete', (s) => s.keyv.delete('meta:registered')],
  ['keyv.clear', (s) => s.keyv.clear()],
];

describe('GIVEN the data folder is deleted while the store is open', () => {
  it.each(WRITES)('WHEN %s is written THEN it rejects naming the file', async (_, write) => {
    const opened = await open();
    await opened.recordAnswer(answer('alice'));
    await opened.setMeta('registered', 'hash');
    await rm(join(folder, 'data'), { recursive: true, force: true });

    await expect(write(opened)).rejects.toThrow(
      `the store file ${file} was deleted while the bot was running`,
    );
    expect(onFileLost).toHaveBeenCalledTimes(1);
  });

  it('WHEN several writes follow THEN all reject and the loss is reported once', async () => {
    const opened = await open();
    await rm(join(folder, 'data'), { recursive: true, force: true });

    const results = await Promise.allSettled([
      opened.recordAnswer(answer('alice')),
      opened.recordAnswer(answer('bob')),
      opened.setMeta('registered', 'hash'),
    ]);
    await expect(opened.recordAnswer(answer('carol'))).rejects.toThrow(/was deleted/);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(onFileLost).toHaveBeenCalledTimes(1);
    expect(onFileLost.mock.calls[0]?.[0]).toMatchObject({ path: file });
  });
});

it('GIVEN the file is replaced by another one while open THEN writes reject saying so', async () => {
  const opened = await open();
  await opened.recordAnswer(answer('alice'));
  // A copy moved over it, as a restore from backup by hand would do.
  await copyFile(file, `${file}.copy`);
  await rename(`${file}.copy`, file);

  await expect(opened.recordAnswer(answer('bob'))).rejects.toThrow(
    `the store file ${file} was replaced by another file`,
  );
  expect(onFileLost).toHaveBeenCalledTimes(1);
});

it('GIVEN the file is still there THEN writes resolve and nothing is reported', async () => {
  const opened = await open();
  for (const [, write] of WRITES) await write(opened);
  expect(onFileLost).not.toHaveBeenCalled();
});

describe('GIVEN a store that cannot be opened THEN the error names its path and why', () => {
  it.each([
    [
      'inside a file',
      async () => {
        await writeFile(join(folder, 'notes'), 'x');
        return join(folder, 'notes', 'quiz.sqlite');
      },
      () => `${join(folder, 'notes')} is a file, not a folder`,
    ],
    [
      'two folders below a file',
      async () => {
        await writeFile(join(folder, 'notes'), 'x');
        return join(folder, 'notes', 'data', 'quiz.sqlite');
      },
      () => `${join(folder, 'notes')} is a file, not a folder`,
    ],
    ['at a folder', () => Promise.resolve(folder), () => 'that is a folder; STORE_URL must name a file'],
    [
      'at a file that is not a database',
      async () => {
        const path = join(folder, 'quiz.sqlite');
        await writeFile(path, 'name,points\nalice,3\n'.repeat(20));
        return path;
      },
      () => 'the file is not an SQLite database',
    ],
  ])('%s', async (_, prepare, reason) => {
    const path = await prepare();
    await expect(openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } })).rejects.toThrow(
      `cannot open the store at ${path}: ${reason()}`,
    );
  });

  it('in a folder the bot may not write to', async () => {
    // Root may write into any ordinary folder, whatever its mode, but sysfs refuses to create files even
    // for root: a real EACCES wherever the checkout lives. Anyone else is kept out of a 0555 folder.
    const asRoot = process.getuid?.() === 0;
    let path = '/sys/quizbot-test.sqlite';
    if (!asRoot) {
      const locked = join(folder, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o555);
      path = join(locked, 'quiz.sqlite');
    }

    await expect(openStore(`sqlite://${path}`, { logger: { warn: vi.fn() } })).rejects.toThrow(
      new RegExp(
        `^cannot open the store at ${path}: no permission to create or write ${path} \\(the bot runs as user \\w+\\)$`,
      ),
    );
  });
});
