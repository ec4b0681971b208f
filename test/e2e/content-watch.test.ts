// The content folder, live: files added, edited, broken and removed while the bot runs are served
// (or kept) without a restart. Real files and real fs events, so every step waits on
// what the bot serves or logs, never on a fixed sleep.
import { cp, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Harness, LECTURES_DIR, asCallbackView } from './harness.js';
import { upload } from './library-support.js';

/** The content folder's promise: a change is served within this. */
const SERVED_WITHIN_MS = 2_000;

let h: Harness;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quizbot-watch-'));
  await cp(LECTURES_DIR, dir, { recursive: true });
  h = await Harness.start({ contentDir: dir });
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

function lecture(title: string): string {
  return upload('css-colors.md')
    .toString('utf8')
    .replace('id: css-colors', 'id: watched')
    .replace('title: Colours in CSS', `title: ${title}`);
}

/** The title /quiz start suggests for the lecture `watched`, or null when it is not offered. */
async function servedTitle(): Promise<string | null> {
  const sent = h.fake.autocomplete({
    name: 'quiz',
    options: [
      { type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'watched', focused: true }] },
    ],
  });
  const { data } = asCallbackView(await h.fake.waitForCallback(sent.id));
  return data?.choices?.find((choice) => choice.value === 'watched')?.name ?? null;
}

/** Polls the bot until `check` holds, failing after `timeoutMs`. */
async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = SERVED_WITHIN_MS,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not served within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('GIVEN the bot running THEN a file added, edited, broken and removed is served, updated, kept and dropped', async () => {
  const path = join(dir, 'watched.md');
  expect(await servedTitle()).toBeNull();

  await writeFile(path, lecture('First Edition'));
  await eventually(async () => (await servedTitle()) === 'First Edition');
  expect(await h.startQuiz('watched', 3)).toHaveLength(3);

  // An editor's atomic save: a new file renamed over the old one.
  await writeFile(join(dir, '.watched.md.tmp'), lecture('Second Edition'));
  await rename(join(dir, '.watched.md.tmp'), path);
  await eventually(async () => (await servedTitle()) === 'Second Edition');

  const logged = h.logs.length;
  await writeFile(
    path,
    lecture('Broken Edition').replace('## --video-solution--\n\n2', '## --video-solution--\n\n9'),
  );
  await eventually(() =>
    h.logs.slice(logged).some((line) => line.msg.includes('watched.md keeps serving its last good version')),
  );
  expect(h.logs.slice(logged).map((line) => line.msg)).toContainEqual(
    expect.stringMatching(
      /watched\.md:\d+: question 1: --video-solution-- is 9 but the question has 3 answers/,
    ),
  );
  expect(await servedTitle()).toBe('Second Edition');

  await unlink(path);
  await eventually(async () => (await servedTitle()) === null);
  // The other lectures were there all along.
  expect(await h.startQuiz('shell-basics', 2)).toHaveLength(2);
});

it('GIVEN a new file that is invalid from the start THEN it is not served until fixed', async () => {
  const path = join(dir, 'watched.md');
  const logged = h.logs.length;
  await writeFile(path, lecture('Never Valid').replace('id: watched\n', ''));
  await eventually(() =>
    h.logs.slice(logged).some((line) => line.msg.includes('is not served until it is fixed')),
  );
  expect(await servedTitle()).toBeNull();
  await writeFile(path, lecture('Fixed'));
  await eventually(async () => (await servedTitle()) === 'Fixed');
});

it('GIVEN CONTENT_WATCH=false THEN the bot says changes need a restart, and a restart serves them', async () => {
  await h.close();
  h = await Harness.start({ contentDir: dir, contentWatch: false });
  expect(h.logs.map((line) => line.msg)).toContain(
    'content: CONTENT_WATCH=false, changes to the content folder need a restart',
  );
  expect(h.logs.map((line) => line.msg)).not.toContainEqual(expect.stringContaining('for changes'));

  await writeFile(join(dir, 'watched.md'), lecture('After A Restart'));
  await h.close();
  h = await Harness.start({ contentDir: dir, contentWatch: false });
  expect(await servedTitle()).toBe('After A Restart');
});

it('GIVEN a lecture added and another removed while the bot was stopped THEN the restart serves its cached lectures at once and the changes within 2 s, and the start after checks the folder first', async () => {
  const path = join(dir, 'watched.md');
  // SQLite in a folder of this test's own (a dot-folder, which the content folder's walk skips), so
  // that the content cache beside it is this test's alone: a PostgreSQL bot keeps it in data/ under
  // the working folder, shared with the other tests.
  await h.close();
  h = await Harness.start({ contentDir: dir, storeUrl: `sqlite://${join(dir, '.data', 'quiz.sqlite')}` });
  // A restart with nothing changed is served from the cache.
  await h.stopBot();
  let logged = h.logs.length;
  await h.startBot();
  expect(h.servedFromCache(logged)).toBe(true);

  await h.stopBot();
  await writeFile(path, lecture('Written While Stopped'));
  await unlink(join(dir, 'git-quiz.md'));
  logged = h.logs.length;
  await h.startBot();
  expect(h.servedFromCache(logged)).toBe(true);
  await eventually(async () => (await servedTitle()) === 'Written While Stopped');
  await eventually(() => h.logs.slice(logged).some((line) => line.msg.includes('git-quiz.md was removed')));
  expect(await h.startQuiz('shell-basics', 2)).toHaveLength(2);

  // The cache no longer matches the folder: the next start reads the folder before it is ready.
  await h.stopBot();
  logged = h.logs.length;
  await h.startBot();
  expect(h.servedFromCache(logged)).toBe(false);
  expect(await servedTitle()).toBe('Written While Stopped');
  // ...and saves the cache, which the start after trusts again.
  await h.stopBot();
  logged = h.logs.length;
  await h.startBot();
  expect(h.servedFromCache(logged)).toBe(true);
  expect(await servedTitle()).toBe('Written While Stopped');
});

it('GIVEN a lecture whose id two other folders also use THEN one warning says two were skipped, and an edit elsewhere does not repeat it', async () => {
  await h.close();
  for (const copy of ['z-copy-a', 'z-copy-b'])
    await cp(join(LECTURES_DIR, 'shell-basics.md'), join(dir, copy, 'shell-basics.md'));
  h = await Harness.start({ contentDir: dir });
  const skipped = (since: number): string[] =>
    h.logs
      .slice(since)
      .filter((line) => line.level === 40 && line.msg.includes('skipped: another lecture already uses'))
      .map((line) => line.msg);
  expect(skipped(0)).toEqual([
    `2 lectures skipped: another lecture already uses each one's id (the first: shell-basics, ${join(dir, 'z-copy-a', 'shell-basics.md')}; LOG_LEVEL=debug lists them all)`,
  ]);
  // Each one at debug level.
  expect(
    h.logs.filter((line) => line.msg === 'lecture skipped: another lecture already uses its id'),
  ).toHaveLength(2);

  const logged = h.logs.length;
  await writeFile(join(dir, 'watched.md'), lecture('Unrelated'));
  await eventually(async () => (await servedTitle()) === 'Unrelated');
  expect(skipped(logged)).toEqual([]);

  await cp(join(LECTURES_DIR, 'shell-basics.md'), join(dir, 'z-copy-c', 'shell-basics.md'));
  await eventually(() => skipped(logged).length > 0);
  expect(skipped(logged)).toEqual([
    `lecture skipped: another lecture already uses its id (shell-basics, ${join(dir, 'z-copy-c', 'shell-basics.md')})`,
  ]);
});

it('GIVEN CONTENT_WATCH=false and a content cache THEN a restart checks every file before it is ready, so a file added while stopped is served at once', async () => {
  await h.close();
  h = await Harness.start({
    contentDir: dir,
    contentWatch: false,
    storeUrl: `sqlite://${join(dir, '.data', 'quiz.sqlite')}`,
  });
  await h.stopBot();
  await writeFile(join(dir, 'watched.md'), lecture('Added While Stopped'));
  const logged = h.logs.length;
  await h.startBot();
  expect(h.servedFromCache(logged)).toBe(false);
  expect(await servedTitle()).toBe('Added While Stopped');
});
