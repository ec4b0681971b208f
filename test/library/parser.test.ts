// The parser thread: uploads checked and stored lectures parsed off the main thread, from source
// (tsx) and as the compiled bot runs it (dist/parse-worker.js, built by the test setup).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParseResponse } from '../../src/library/parse-jobs.js';
import { parseFile } from '../../src/content/load.js';
import { FILES_PER_JOB, ParseTimeout, WorkerParser } from '../../src/library/parser.js';

const CSS = readFileSync(fileURLToPath(new URL('../fixtures/uploads/css-colors.md', import.meta.url)));
const LARGE = CSS.toString('utf8').replace(
  '# --description--\n',
  `# --description--\n\n${Array.from({ length: 60_000 }, (_, index) => `- i${index}`).join('\n')}\n`,
);
const MB = 1024 * 1024;

let parser: WorkerParser | undefined;
afterEach(async () => {
  await parser?.close();
});

describe('WorkerParser', () => {
  it('GIVEN an upload and stored files THEN checked and parsed in one thread, problems with their lines', async () => {
    parser = new WorkerParser({ uploadBudgetMs: 10_000 });
    const check = await parser.checkUpload('css-colors.md', new Uint8Array(CSS), MB);
    expect(check).toMatchObject({ ok: true, lecture: { id: 'css-colors', title: 'Colours in CSS' } });
    const broken = await parser.checkUpload('bad.md', new TextEncoder().encode('# --questions--\n'), MB);
    expect(broken.ok).toBe(false);
    const [stored, gone] = await parser.parseStored([
      { name: 'css-colors.md', source: CSS.toString('utf8') },
      { name: 'bad.md', source: 'no front matter' },
    ]);
    expect(stored?.id).toBe('css-colors');
    expect(gone).toBeNull();
    expect(parser.started).toBe(1);
  });

  it('GIVEN an upload past its budget THEN ParseTimeout, the thread is replaced, and the next job works', async () => {
    parser = new WorkerParser({ uploadBudgetMs: 1 });
    await expect(parser.checkUpload('large.md', new TextEncoder().encode(LARGE), MB)).rejects.toBeInstanceOf(
      ParseTimeout,
    );
    const [stored] = await parser.parseStored([{ name: 'css-colors.md', source: CSS.toString('utf8') }]);
    expect(stored?.id).toBe('css-colors');
    expect(parser.started).toBe(2);
  });

  it('GIVEN a job past the heap limit THEN only the thread dies: the job rejects and the next job works', async () => {
    parser = new WorkerParser({ uploadBudgetMs: 10_000, heapMb: 48 });
    // About 40 MB of source, far more once parsed: past a 48 MB heap.
    const files = Array.from({ length: 80 }, (_, index) => ({ name: `large-${index}.md`, source: LARGE }));
    await expect(parser.parseStored(files)).rejects.toThrow(/memory limit/);
    const [stored] = await parser.parseStored([{ name: 'css-colors.md', source: CSS.toString('utf8') }]);
    expect(stored?.id).toBe('css-colors');
    expect(parser.started).toBe(2);
  });
});

describe('WorkerParser.parseFiles', () => {
  it('GIVEN more content folder files than one job carries THEN each is read and parsed as parseFile does, in order, problems with their lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quizbot-parse-files-'));
    try {
      const paths = Array.from({ length: FILES_PER_JOB + 5 }, (_, index) => {
        const path = join(dir, `lecture-${index}.md`);
        writeFileSync(
          path,
          index === 3 ? 'no front matter' : CSS.toString('utf8').replaceAll('css-colors', `css-${index}`),
        );
        return path;
      });
      paths.push(join(dir, 'gone.md'));
      parser = new WorkerParser({ uploadBudgetMs: 10_000 });
      const results = await parser.parseFiles(paths);
      expect(results).toEqual(paths.map((path) => parseFile(path)));
      expect(results[0]?.lecture?.id).toBe('css-0');
      expect(results[3]?.lecture).toBeNull();
      expect(results.at(-1)?.problems[0]?.message).toMatch(/^cannot read file/);
      expect(parser.started).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the compiled parser thread', () => {
  it('GIVEN dist/parse-worker.js THEN it answers an upload check as the source does', async () => {
    const worker = new Worker(new URL('../../dist/parse-worker.js', import.meta.url));
    try {
      const response = await new Promise<ParseResponse>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({
          id: 7,
          kind: 'upload',
          name: 'css-colors.md',
          bytes: new Uint8Array(CSS),
          maxFileBytes: MB,
        });
      });
      expect(response).toMatchObject({
        id: 7,
        kind: 'upload',
        check: { ok: true, lecture: { id: 'css-colors' } },
      });
    } finally {
      await worker.terminate();
    }
  });
});
