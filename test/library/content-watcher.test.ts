// The watcher starts after the bot is ready, so files can change between the content folder's load
// and the watcher's walk: its walk reads those again. Then folders come, move and go while it runs.
// Real files and real fs events; every step waits on what the folder serves, never on a fixed sleep.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ContentCache } from '../../src/content/cache.js';
import { ContentFolder, OFF_THREAD_FILES } from '../../src/library/content-folder.js';
import { watchContent, type ContentWatcher } from '../../src/library/content-watcher.js';
import { WorkerParser } from '../../src/library/parser.js';

const LONG_AGO = new Date('2026-01-01T00:00:00Z');
let dir: string;
let watcher: ContentWatcher | undefined;
let logged: string[];
const log = pino({ level: 'info' }, { write: (line: string) => logged.push(line) });

/** good-one.md of the fixture as another lecture. */
function lecture(id: string, title: string): string {
  return readFileSync('test/fixtures/content/mixed/good-one.md', 'utf8')
    .replace('aaaaaaaaaaaaaaaaaaaaaaa1', id)
    .replace('Good One', title);
}

beforeEach(async () => {
  logged = [];
  dir = mkdtempSync(join(tmpdir(), 'quizbot-watcher-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'one.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa1', 'First'));
  writeFileSync(join(dir, 'sub', 'two.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa2', 'Second'));
  // The files' change times before the load began (they are kept to the millisecond or coarser).
  const written = Date.now();
  await eventually(() => Date.now() > written + 100);
});
afterEach(async () => {
  await watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function titles(folder: ContentFolder): string[] {
  return folder.catalog.lectures.map((one) => one.title).sort();
}

const watching = (): boolean => logged.some((line) => line.includes('for changes'));

it('GIVEN files edited, added and removed after the load but before the watcher started THEN its walk serves them as they are', async () => {
  const { folder } = await ContentFolder.load(dir, log);
  expect(titles(folder)).toEqual(['First', 'Second']);
  const one = join(dir, 'one.md');
  writeFileSync(one, lecture('aaaaaaaaaaaaaaaaaaaaaaa1', 'First, edited'));
  // Its time put back to before the load: only the change time tells it changed.
  utimesSync(one, LONG_AGO, LONG_AGO);
  writeFileSync(join(dir, 'added.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa3', 'Added'));
  rmSync(join(dir, 'sub'), { recursive: true });

  watcher = watchContent(folder, log);

  await eventually(() => titles(folder).join() === 'Added,First, edited');
});

it('GIVEN nothing changed since the load THEN the walk reads nothing again, and an edit after it is served', async () => {
  const { folder } = await ContentFolder.load(dir, log);
  let changes = 0;
  folder.onChange(() => (changes += 1));

  watcher = watchContent(folder, log);
  await eventually(watching);
  expect(changes).toBe(0);

  writeFileSync(join(dir, 'one.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa1', 'First, edited'));
  await eventually(() => titles(folder).join() === 'First, edited,Second');
});

/** The folder loaded once through a fresh content cache, saved as a start saves it: the cache's file. */
async function loadedIntoCache(): Promise<string> {
  const cacheFile = join(dir, '.data', 'content-cache.jsonl');
  const first = ContentCache.open(cacheFile);
  await ContentFolder.load(dir, log, first);
  first.save();
  first.close();
  return cacheFile;
}

it('GIVEN files edited, added and removed while the bot was stopped, and a start served from the content cache unchecked THEN the walk serves them as they are', async () => {
  const cacheFile = await loadedIntoCache();
  const one = join(dir, 'one.md');
  writeFileSync(one, lecture('aaaaaaaaaaaaaaaaaaaaaaa1', 'First, edited while stopped'));
  writeFileSync(join(dir, 'added.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa3', 'Added'));
  rmSync(join(dir, 'sub'), { recursive: true });
  // Every change well before the next load began: only the cache's stamps tell them.
  const changedAt = Date.now();
  await eventually(() => Date.now() > changedAt + 100);

  const cache = ContentCache.open(cacheFile);
  const { folder, checked, content } = await ContentFolder.load(dir, log, cache, { unverified: true });
  // Served as the cache holds the folder, until the walk has looked.
  expect(checked).toBe(false);
  expect(content.fileCount).toBe(2);
  expect(titles(folder)).toEqual(['First', 'Second']);

  watcher = watchContent(folder, log);
  await eventually(() => titles(folder).join() === 'Added,First, edited while stopped');
  cache.close();
});

it('GIVEN a start served from the content cache and nothing changed THEN the walk reads nothing again', async () => {
  const cacheFile = await loadedIntoCache();

  const cache = ContentCache.open(cacheFile);
  const { folder, checked } = await ContentFolder.load(dir, log, cache, { unverified: true });
  expect(checked).toBe(false);
  let changes = 0;
  folder.onChange(() => (changes += 1));
  watcher = watchContent(folder, log);
  await eventually(watching);
  expect(changes).toBe(0);
  expect(titles(folder)).toEqual(['First', 'Second']);
  cache.close();
});

/** The folder loaded and watched, its first walk done. */
async function watched(): Promise<ContentFolder> {
  const { folder } = await ContentFolder.load(dir, log);
  watcher = watchContent(folder, log);
  await eventually(watching);
  return folder;
}

function paths(folder: ContentFolder): string[] {
  return folder.catalog.lectures.map((one) => one.path).sort();
}

it('GIVEN a new folder made while watching THEN the lectures in it and in folders under it are served, and later edits in it too', async () => {
  const folder = await watched();
  mkdirSync(join(dir, 'new', 'deeper'), { recursive: true });
  writeFileSync(join(dir, 'new', 'three.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa3', 'Third'));
  writeFileSync(join(dir, 'new', 'deeper', 'four.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa4', 'Fourth'));
  await eventually(() => titles(folder).join() === 'First,Fourth,Second,Third');

  writeFileSync(join(dir, 'new', 'deeper', 'four.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa4', 'Fourth, edited'));
  await eventually(() => titles(folder).join() === 'First,Fourth, edited,Second,Third');
});

it('GIVEN a folder renamed while watching THEN its lectures are served from the new path only, and an edit there is served', async () => {
  const folder = await watched();
  renameSync(join(dir, 'sub'), join(dir, 'moved'));
  await eventually(() => paths(folder).join() === [join(dir, 'moved', 'two.md'), join(dir, 'one.md')].join());

  writeFileSync(join(dir, 'moved', 'two.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa2', 'Second, moved'));
  await eventually(() => titles(folder).join() === 'First,Second, moved');
});

it('GIVEN a folder removed while watching THEN its lectures are dropped and the others stay', async () => {
  const folder = await watched();
  rmSync(join(dir, 'sub'), { recursive: true });
  await eventually(() => titles(folder).join() === 'First');
});

it('GIVEN a burst of new files THEN the catalog is rebuilt once, and files in skipped folders or not lectures are left out', async () => {
  const folder = await watched();
  let changes = 0;
  folder.onChange(() => (changes += 1));
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'node_modules', 'pkg.md'), lecture('aaaaaaaaaaaaaaaaaaaaaab1', 'Package'));
  writeFileSync(join(dir, '.git', 'notes.md'), lecture('aaaaaaaaaaaaaaaaaaaaaab2', 'Git'));
  writeFileSync(join(dir, 'README.md'), lecture('aaaaaaaaaaaaaaaaaaaaaab3', 'Readme'));
  writeFileSync(join(dir, 'notes.txt'), lecture('aaaaaaaaaaaaaaaaaaaaaab4', 'Text'));
  for (let n = 0; n < 20; n += 1) {
    writeFileSync(
      join(dir, `burst-${n}.md`),
      lecture(`aaaaaaaaaaaaaaaaaaaaac${String(n).padStart(2, '0')}`, `Burst ${n}`),
    );
  }
  await eventually(() => titles(folder).length === 22);
  expect(titles(folder).filter((title) => !title.startsWith('Burst'))).toEqual(['First', 'Second']);
  expect(changes).toBe(1);
});

/** Writes `count` new lectures at once, as a checkout of a course update does. */
function writeBatch(prefix: string, count: number): void {
  for (let n = 0; n < count; n += 1) {
    const id = `${prefix}${String(n).padStart(24 - prefix.length, '0')}`;
    writeFileSync(join(dir, `${prefix}-${n}.md`), lecture(id, `${prefix} ${n}`));
  }
}

it('GIVEN a batch of changed files THEN the parser thread reads them (the main thread keeps serving) and they are served; one changed file is read here', async () => {
  const { folder } = await ContentFolder.load(dir, log);
  const parser = new WorkerParser({ uploadBudgetMs: 10_000 });
  const batches: number[] = [];
  watcher = watchContent(folder, log, (files) => {
    batches.push(files.length);
    return parser.parseFiles(files);
  });
  try {
    await eventually(watching);
    writeBatch('bbbbbb', OFF_THREAD_FILES + 5);
    await eventually(() => titles(folder).length === OFF_THREAD_FILES + 7, 10_000);
    // Written together, so read together (a batch split by a slow machine would still be served).
    expect(batches[0]).toBeGreaterThanOrEqual(OFF_THREAD_FILES);
    expect(parser.started).toBe(1);
    const handed = batches.length;

    writeFileSync(join(dir, 'one.md'), lecture('aaaaaaaaaaaaaaaaaaaaaaa1', 'First, edited'));
    await eventually(() => titles(folder).includes('First, edited'));
    expect(batches).toHaveLength(handed);
  } finally {
    await watcher.close();
    await parser.close();
  }
});

it('GIVEN the parser thread failing on a batch THEN the files are read here instead, and served all the same', async () => {
  const { folder } = await ContentFolder.load(dir, log);
  watcher = watchContent(folder, log, () => Promise.reject(new Error('the lecture parser is closed')));
  await eventually(watching);
  writeBatch('cccccc', OFF_THREAD_FILES);
  await eventually(() => titles(folder).length === OFF_THREAD_FILES + 2, 10_000);
  expect(logged.some((line) => line.includes('reading them here'))).toBe(true);
});
