// The content cache: a load through it gives exactly what a load without it gives (lectures, problems
// with file:line, duplicate-id rules), reuses a file only while its size and time are unchanged, and
// starts afresh for another parser version or a damaged cache file.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentCache } from '../../src/content/cache.js';
import { loadContent } from '../../src/content/load.js';
import type { LoadedContent } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/types.js';

const SOME_TIME = new Date('2026-01-01T00:00:00Z');
let dir: string;
let folder: string;
let cacheFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quizbot-cache-'));
  folder = join(dir, 'content');
  cacheFile = join(dir, 'data', 'content-cache.jsonl');
  cpSync('test/fixtures/content/mixed', folder, { recursive: true });
  // Whole seconds, so that a test can put a file's time back exactly (the cache compares nanoseconds).
  for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    utimesSync(join(folder, name), SOME_TIME, SOME_TIME);
  }
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A load through a cache opened afresh from the file (as after a restart), saved afterwards. */
async function loadThroughCache(version?: string): Promise<{ loaded: LoadedContent; cache: ContentCache }> {
  const cache = ContentCache.open(cacheFile, version);
  const loaded = await loadContent([folder], { cache });
  if (cache.stale) cache.save();
  return { loaded, cache };
}

/** Replaces a file's text with text of the same length, keeping its modification time. */
function rewriteKeepingStamp(path: string, from: string, to: string): void {
  expect(to).toHaveLength(from.length);
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
  utimesSync(path, SOME_TIME, SOME_TIME);
}

function titles(loaded: LoadedContent): string[] {
  return loaded.lectures.map((lecture) => lecture.title).sort();
}

describe('GIVEN a folder loaded once through the cache', () => {
  it('THEN a load after a restart gives exactly what a load without the cache gives', async () => {
    await loadThroughCache();
    const { loaded, cache } = await loadThroughCache();

    expect(loaded).toEqual(await loadContent([folder]));
    expect(loaded.problems.map(formatProblem)).toContain(
      `${folder}/bad-solution.md:31: question 1: --video-solution-- is 7 but the question has 2 answers`,
    );
    expect(cache.stale).toBe(false);
  });

  it('THEN a file whose size and time are unchanged is not read again', async () => {
    await loadThroughCache();
    rewriteKeepingStamp(join(folder, 'good-one.md'), 'Good One', 'Good Two');

    expect(titles((await loadThroughCache()).loaded)).toContain('Good One');
  });

  it('WHEN a file is edited THEN it is parsed again and the rest still comes from the cache', async () => {
    await loadThroughCache();
    const path = join(folder, 'good-one.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Good One', 'Good One, edited'));

    const { loaded } = await loadThroughCache();

    expect(titles(loaded)).toContain('Good One, edited');
    expect(loaded).toEqual(await loadContent([folder]));
  });

  it('WHEN the duplicate of an id is loaded from the cache THEN it is refused once, and accepted once the first file is gone', async () => {
    await loadThroughCache();
    const duplicate = `${folder}/same-id.md:1: duplicate id aaaaaaaaaaaaaaaaaaaaaaa1: ${folder}/good-one.md already uses it`;

    const again = (await loadThroughCache()).loaded;
    expect(again.problems.map(formatProblem).filter((problem) => problem === duplicate)).toHaveLength(1);

    rmSync(join(folder, 'good-one.md'));
    const without = (await loadThroughCache()).loaded;
    expect(without.problems.map(formatProblem)).not.toContain(duplicate);
    expect(without).toEqual(await loadContent([folder]));
  });

  it('WHEN a file is deleted THEN the next save drops it', async () => {
    await loadThroughCache();
    rmSync(join(folder, 'bad-solution.md'));
    const { cache } = await loadThroughCache();

    expect(cache.stale).toBe(false);
    const reopened = ContentCache.open(cacheFile);
    const loaded = await loadContent([folder], { cache: reopened });
    expect(reopened.stale).toBe(false);
    expect(loaded.problems.map(formatProblem).join('\n')).not.toContain('bad-solution.md');
  });
});

describe('GIVEN a cache the loader cannot use', () => {
  it('WHEN it was written by another parser version THEN every file is parsed again', async () => {
    await loadThroughCache('parser-1');
    rewriteKeepingStamp(join(folder, 'good-one.md'), 'Good One', 'Good Two');

    const { loaded, cache } = await loadThroughCache('parser-2');

    expect(titles(loaded)).toContain('Good Two');
    expect(cache.stale).toBe(false);
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length - 10)],
    ['not a cache at all', () => Buffer.from('{"hello": "world"}')],
    ['empty', () => Buffer.alloc(0)],
  ])('WHEN the cache file is %s THEN the folder loads as without a cache and the file is rewritten', async (_name, damage) => {
    await loadThroughCache();
    writeFileSync(cacheFile, damage(readFileSync(cacheFile)));

    const { loaded } = await loadThroughCache();

    expect(loaded).toEqual(await loadContent([folder]));
    const reopened = ContentCache.open(cacheFile);
    await loadContent([folder], { cache: reopened });
    expect(reopened.stale).toBe(false);
  });

  it('WHEN the cache cannot be written THEN save throws and the load itself is unaffected', async () => {
    writeFileSync(join(dir, 'data'), 'a file where the cache folder should be');
    const cache = ContentCache.open(cacheFile);

    const loaded = await loadContent([folder], { cache });

    expect(loaded).toEqual(await loadContent([folder]));
    expect(() => cache.save()).toThrow();
  });
});
