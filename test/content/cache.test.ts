// The content cache: a load through it gives exactly what a load without it gives (lectures, problems
// with file:line, duplicate-id rules), reuses a file only while its size and time are unchanged, and
// starts afresh for another parser version or a damaged cache file.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BODIES_KEPT, ContentCache } from '../../src/content/cache.js';
import { findMarkdownFiles, loadContent, parseFile } from '../../src/content/load.js';
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

describe('GIVEN lectures served from the cache file (their text and questions read on demand)', () => {
  /** A start as the bot does it: load, save, then lectures whose bodies come from the saved file. */
  async function startThroughCache(options = {}): Promise<{ loaded: LoadedContent; cache: ContentCache }> {
    const cache = ContentCache.open(cacheFile, undefined, options);
    const loaded = await loadContent([folder], { cache });
    if (cache.stale) cache.save();
    const lectures = loaded.lectures.map((lecture) => {
      const fromFile = cache.lectureFor(lecture.path);
      if (!fromFile) throw new Error(`${lecture.path} is not in the cache file`);
      return fromFile;
    });
    return { loaded: { ...loaded, lectures }, cache };
  }

  it('THEN right after the first save they give exactly what parsed lectures give, and so after a restart', async () => {
    const first = await startThroughCache();
    expect(first.loaded).toEqual(await loadContent([folder]));
    expect(JSON.stringify(first.loaded.lectures)).toBe(JSON.stringify((await loadContent([folder])).lectures));
    first.cache.close();

    const again = await startThroughCache();
    expect(again.loaded).toEqual(await loadContent([folder]));
    again.cache.close();
  });

  it('WHEN more lectures are read than the cache keeps in memory THEN each still gives its own text and questions', async () => {
    const source = readFileSync(join(folder, 'good-one.md'), 'utf8');
    for (let n = 0; n < BODIES_KEPT + 20; n++) {
      const id = `b${String(n).padStart(23, '0')}`;
      writeFileSync(
        join(folder, `many-${n}.md`),
        source.replace('aaaaaaaaaaaaaaaaaaaaaaa1', id).replace('Which command lists files?', `Question ${n}?`),
      );
    }
    const { loaded, cache } = await startThroughCache();

    // Twice round: the second pass reads again what the first one pushed out of memory.
    for (let pass = 0; pass < 2; pass++) {
      for (const lecture of loaded.lectures.filter((one) => one.path.includes('many-'))) {
        const n = /many-(\d+)\.md$/.exec(lecture.path)?.[1];
        expect(lecture.questions[0]?.text).toBe(`Question ${n}?`);
      }
    }
    expect(loaded).toEqual(await loadContent([folder]));
    cache.close();
  });

  it('WHEN the cache file is damaged while the bot runs THEN the text comes from the lecture file and the damage is reported', async () => {
    await startThroughCache().then(({ cache }) => cache.close());
    const unreadable: string[] = [];
    const { loaded, cache } = await startThroughCache({ onUnreadable: (path: string) => unreadable.push(path) });
    // Same length, in place: the index still points at the bytes, which are no longer a lecture.
    const bytes = readFileSync(cacheFile);
    writeFileSync(cacheFile, Buffer.concat([Buffer.from('x'.repeat(64)), bytes.subarray(64)]));

    expect(loaded).toEqual(await loadContent([folder]));
    expect(unreadable).toHaveLength(1);
    cache.close();
  });

  it('WHEN the cache is closed (the bot stopping) THEN a lecture still gives its text, read from its file', async () => {
    const { loaded, cache } = await startThroughCache();
    cache.close();

    expect(loaded).toEqual(await loadContent([folder]));
  });
});

describe('GIVEN a cache saved from a load of the folder', () => {
  it('THEN it gives the files under the folder as it holds them, and none under another folder', async () => {
    const { cache } = await loadThroughCache();
    cache.close();
    const reopened = ContentCache.open(cacheFile);
    const files = reopened.unverifiedUnder(folder);
    // Every file, each with its own parse (the duplicate rule is the folder's, run over them after).
    const onDisk = await findMarkdownFiles([folder]);
    expect(files.map((file) => file.path)).toEqual(onDisk);
    expect(files.map((file) => file.result.lecture?.title ?? null)).toEqual(
      onDisk.map((path) => parseFile(path).lecture?.title ?? null),
    );
    expect(files.map((file) => file.result.problems.map(formatProblem))).toEqual(
      onDisk.map((path) => parseFile(path).problems.map(formatProblem)),
    );
    expect(reopened.unverifiedUnder(join(dir, 'elsewhere'))).toEqual([]);
    // A folder whose name merely starts like it is another folder.
    expect(ContentCache.open(cacheFile).unverifiedUnder(`${folder}-old`)).toEqual([]);
    reopened.close();
  });

  it('THEN once a change to the folder was seen, the next start is not given the files unchecked until a checked load says so', async () => {
    const { cache } = await loadThroughCache();
    cache.folderChanged();
    cache.close();
    expect(ContentCache.open(cacheFile).unverifiedUnder(folder)).toEqual([]);
    // A checked load (it saves when something changed) clears the marker.
    const { cache: checked } = await loadThroughCache();
    checked.folderChecked();
    checked.close();
    expect(ContentCache.open(cacheFile).unverifiedUnder(folder)).not.toEqual([]);
  });
});
