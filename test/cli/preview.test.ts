import { describe, expect, it } from 'vitest';
import { runPreview } from '../../src/cli/preview.js';
import { BROKEN, FIXTURES, GOOD, run } from './run.js';

describe('preview', () => {
  it('GIVEN a lecture file THEN it shows the title, the summary and every question with lettered answers', async () => {
    const { code, out, err } = await run(runPreview, [`${GOOD}/shell-lecture.md`]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.slice(0, 5)).toEqual([
      'Moving Around the Shell',
      '=======================',
      `file: ${GOOD}/shell-lecture.md`,
      'id: c11aaaaaaaaaaaaaaaaaaa01  dashedName: moving-around-the-shell  challengeType: 19',
      '2 questions',
    ]);
    expect(out).toContain('Summary (178 characters)');
    expect(out).toContain(
      'A shell runs one command per line. `pwd` prints the folder you are in and `cd` changes it.',
    );
    expect(out).toContain('Question 1 of 2 (line 16)');
    expect(out).toContain('Which command prints the current folder?');
  });

  it('marks the correct answer, shows feedback under its answer and the button labels from present.ts', async () => {
    const { out } = await run(runPreview, [`${GOOD}/shell-lecture.md`]);
    const start = out.indexOf('  A. `pwd`  [correct]');
    expect(out.slice(start, start + 7)).toEqual([
      '  A. `pwd`  [correct]',
      '  B. `ls`',
      '     Feedback: This one lists what is inside a folder.',
      '  C. `cd ..`',
      '     Feedback: This one moves you somewhere else.',
      '',
      '  Buttons: [A. pwd] [B. ls] [C. cd ..]',
    ]);
  });

  it('GIVEN code block answers THEN each starts under its letter and the buttons say why they hold letters only', async () => {
    const { out } = await run(runPreview, [`${GOOD}/shell-lecture.md`]);
    expect(out.slice(-14)).toEqual([
      '  A.',
      '     ```sh',
      '     ls',
      '     cd ..',
      '     ```',
      '     Feedback: Order matters: the listing happens before the move here.',
      '  B. [correct]',
      '     ```sh',
      '     cd ..',
      '     ls',
      '     ```',
      '',
      '  Buttons: [A] [B]',
      '  (Letters only: A and B are not one plain line. A button label holds at most 80.)',
    ]);
  });

  it('GIVEN an id THEN it finds the lecture in the content folder', async () => {
    const { code, out } = await run(runPreview, ['c11aaaaaaaaaaaaaaaaaaa01', '--content', FIXTURES]);
    expect(code).toBe(0);
    expect(out[0]).toBe('Moving Around the Shell');
  });

  it('GIVEN a quiz file (by dashedName) THEN it shows each quiz set with four answers per question', async () => {
    const { code, out } = await run(runPreview, ['shell-quiz', `--content=${GOOD}`]);
    expect(code).toBe(0);
    expect(out).toContain('2 quiz sets, 3 questions in all');
    expect(out).toContain('Quiz 1 of 2 (2 questions)');
    expect(out).toContain('Quiz 2 of 2 (1 question)');
    const start = out.indexOf('What does `rm` do?');
    expect(out.slice(start + 2, start + 8)).toEqual([
      '  A. Renames a file',
      '  B. Removes a file  [correct]',
      '  C. Reads a file',
      '  D. Restores a file',
      '',
      '  Buttons: [A. Renames a file] [B. Removes a file] [C. Reads a file] [D. Restores a file]',
    ]);
  });

  it('GIVEN a broken file THEN it lists the problems instead and exits 1', async () => {
    const { code, out } = await run(runPreview, [`${BROKEN}/broken-lecture.md`]);
    expect(out).toEqual([
      `${BROKEN}/broken-lecture.md:1: front matter needs a title`,
      `${BROKEN}/broken-lecture.md:16: question 1 needs at least two answers, found 1`,
      `${BROKEN}/broken-lecture.md:38: question 2: --video-solution-- is 3 but the question has 2 answers`,
      `Cannot preview ${BROKEN}/broken-lecture.md: fix the 3 problems above first.`,
    ]);
    expect(code).toBe(1);
  });

  it('GIVEN an id nobody uses THEN it says so on stderr and exits 1', async () => {
    const { code, out, err } = await run(runPreview, ['nope', '--content', BROKEN]);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `preview: no file nope, and no valid lecture in ${BROKEN} has that id or dashedName (2 files there could not be read: npm run -s validate -- ${BROKEN})`,
    ]);
    expect(code).toBe(1);
  });

  it.each([
    ['no argument', []],
    ['two arguments', ['a.md', 'b.md']],
    ['a folder', [GOOD]],
    ['an unknown option', ['x.md', '--colour']],
    ['an id with a missing content folder', ['some-id', '--content', 'no/such/dir']],
  ])('GIVEN %s THEN it exits 2 with a message on stderr', async (_name, args) => {
    const { code, out, err } = await run(runPreview, args);
    expect(out).toEqual([]);
    expect(err.length).toBeGreaterThan(0);
    expect(code).toBe(2);
  });
});
