import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/validate.js';
import { BROKEN, FIXTURES, GOOD, run } from './run.js';

describe('validate', () => {
  it('GIVEN only valid files THEN it prints the summary alone and exits 0', async () => {
    const { code, out, err } = await run(runValidate, [GOOD]);
    expect(out).toEqual(['Checked 2 files: 2 valid, 0 with problems (0 problems).']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('GIVEN broken files THEN each problem is one path:line: message line before the summary, and it exits 1', async () => {
    const { code, out, err } = await run(runValidate, [FIXTURES]);
    expect(out).toEqual([
      `${BROKEN}/broken-lecture.md:1: front matter needs a title`,
      `${BROKEN}/broken-lecture.md:16: question 1 needs at least two answers, found 1`,
      `${BROKEN}/broken-lecture.md:38: question 2: --video-solution-- is 3 but the question has 2 answers`,
      `${BROKEN}/twin-b.md:1: duplicate id c11aaaaaaaaaaaaaaaaaaa04: ${BROKEN}/twin-a.md already uses it`,
      'Checked 5 files: 3 valid, 2 with problems (4 problems).',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('GIVEN one file THEN the summary speaks of one file', async () => {
    const { code, out } = await run(runValidate, [`${GOOD}/shell-quiz.md`]);
    expect(out).toEqual(['Checked 1 file: 1 valid, 0 with problems (0 problems).']);
    expect(code).toBe(0);
  });

  it('GIVEN several paths THEN it checks them all together', async () => {
    const { code, out } = await run(runValidate, [`${GOOD}/shell-quiz.md`, `${BROKEN}/broken-lecture.md`]);
    expect(out.at(-1)).toBe('Checked 2 files: 1 valid, 1 with problems (3 problems).');
    expect(code).toBe(1);
  });

  it('GIVEN no paths THEN it checks the content folder the bot ships with', async () => {
    const { code, out } = await run(runValidate, []);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Checked \d+ files: (\d+) valid, 0 with problems \(0 problems\)\.$/);
    expect(code).toBe(0);
  });

  it('GIVEN a path that does not exist THEN it says so on stderr and exits 2', async () => {
    const { code, out, err } = await run(runValidate, [GOOD, 'no/such/folder']);
    expect(out).toEqual([]);
    expect(err).toEqual(['validate: no such file or folder: no/such/folder']);
    expect(code).toBe(2);
  });

  it('GIVEN an unknown option THEN it exits 2 with a pointer to the help', async () => {
    const { code, err } = await run(runValidate, ['--strict']);
    expect(err[0]).toContain("Unknown option '--strict'");
    expect(err[1]).toContain('help');
    expect(code).toBe(2);
  });
});
