import { describe, expect, it } from 'vitest';
import { findMarkdownFiles, loadContent } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/types.js';

const FOLDER = 'test/fixtures/content/mixed';

describe('loadContent', () => {
  it('GIVEN a folder with broken files THEN the good lectures still load and each bad file is named with its line', async () => {
    const loaded = await loadContent([FOLDER]);
    expect(loaded.fileCount).toBe(5);
    expect(loaded.lectures.map((lecture) => lecture.title).sort()).toEqual(['Good One', 'Same Id In Another Folder']);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${FOLDER}/bad-solution.md:31: question 1: --video-solution-- is 7 but the question has 2 answers`,
      `${FOLDER}/broken-yaml.md:3: invalid front matter: unexpected end of the stream within a flow collection`,
      `${FOLDER}/same-id.md:1: duplicate id aaaaaaaaaaaaaaaaaaaaaaa1: ${FOLDER}/good-one.md already uses it`,
    ]);
  });

  it('skips README.md inside folders but reads a file named explicitly', async () => {
    const files = await findMarkdownFiles([FOLDER]);
    expect(files.some((file) => file.endsWith('README.md'))).toBe(false);
    expect(await findMarkdownFiles([`${FOLDER}/README.md`])).toEqual([`${FOLDER}/README.md`]);
  });

  it('loads the lectures this bot ships with, all valid', async () => {
    const loaded = await loadContent(['content']);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.lectures.length).toBeGreaterThanOrEqual(4);
  });
});
