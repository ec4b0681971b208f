// One file that makes the parser throw must not stop the others from loading.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import type * as Parse from '../../src/content/parse.js';
import { formatProblem } from '../../src/content/types.js';

vi.mock('../../src/content/parse.js', async (importOriginal) => {
  const real = await importOriginal<typeof Parse>();
  return {
    ...real,
    parseLecture: (source: string, path: string) => {
      if (source.includes('EXPLODE')) throw new RangeError('Maximum call stack size exceeded');
      return real.parseLecture(source, path);
    },
  };
});

const LECTURE = (id: string, text: string): string =>
  ['---', `id: ${id}`, 'title: T', '---', '', '# --questions--', '', '## --text--', '', text, '', '## --answers--', '', 'a', '', '---', '', 'b', '', '## --video-solution--', '', '1', ''].join('\n');

describe('loadContent when the parser throws on one file', () => {
  let folder = '';
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('GIVEN a file the parser throws on THEN it is reported with the reason and the other files still load', async () => {
    folder = mkdtempSync(join(tmpdir(), 'load-guard-'));
    writeFileSync(join(folder, 'a.md'), LECTURE('first', 'EXPLODE'));
    writeFileSync(join(folder, 'b.md'), LECTURE('second', 'Fine?'));
    const loaded = await loadContent([folder]);
    expect(loaded.lectures.map((lecture) => lecture.id)).toEqual(['second']);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${join(folder, 'a.md')}:1: cannot parse file: Maximum call stack size exceeded`,
    ]);
  });
});
