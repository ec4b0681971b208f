import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport } from '../../src/cli/export.js';
import { BROKEN, FIXTURES, GOOD, run } from './run.js';

const KEYS = ['path', 'id', 'title', 'challengeType', 'summary', 'questions', 'quizzes', 'errors'];

function parseLines(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('export', () => {
  it('GIVEN a folder THEN it writes one JSON object per file, valid or not, with the contract keys in order', async () => {
    const { code, out, err } = await run(runExport, [FIXTURES]);
    const objects = parseLines(out);
    expect(objects.map((object) => object.path)).toEqual([
      `${BROKEN}/broken-lecture.md`,
      `${BROKEN}/twin-a.md`,
      `${BROKEN}/twin-b.md`,
      `${GOOD}/shell-lecture.md`,
      `${GOOD}/shell-quiz.md`,
    ]);
    for (const object of objects) expect(Object.keys(object)).toEqual(KEYS);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('GIVEN a valid lecture THEN questions carry text, answers with feedback or null, and a 0-based correctIndex', async () => {
    const { code, out } = await run(runExport, [`${GOOD}/shell-lecture.md`]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      path: `${GOOD}/shell-lecture.md`,
      id: 'c11aaaaaaaaaaaaaaaaaaa01',
      title: 'Moving Around the Shell',
      challengeType: 19,
      summary:
        'A shell runs one command per line. `pwd` prints the folder you are in and `cd` changes it.\n\n' +
        'Paths that start with `/` are absolute; all others are relative to the current folder.',
      questions: [
        {
          text: 'Which command prints the current folder?',
          answers: [
            { text: '`pwd`', feedback: null },
            { text: '`ls`', feedback: 'This one lists what is inside a folder.' },
            { text: '`cd ..`', feedback: 'This one moves you somewhere else.' },
          ],
          correctIndex: 0,
        },
        {
          text: 'Which snippet goes up one folder and then lists it?',
          answers: [
            {
              text: '```sh\nls\ncd ..\n```',
              feedback: 'Order matters: the listing happens before the move here.',
            },
            { text: '```sh\ncd ..\nls\n```', feedback: null },
          ],
          correctIndex: 1,
        },
      ],
      quizzes: [],
      errors: [],
    });
  });

  it('GIVEN a quiz file THEN each set is exported with four answers per question and no lecture questions', async () => {
    const { out } = await run(runExport, [`${GOOD}/shell-quiz.md`]);
    const [quizFile] = parseLines(out);
    const quizzes = quizFile?.quizzes as { questions: { answers: unknown[]; correctIndex: number }[] }[];
    expect(quizFile?.questions).toEqual([]);
    expect(quizzes.map((quiz) => quiz.questions.length)).toEqual([2, 1]);
    for (const question of quizzes.flatMap((quiz) => quiz.questions)) {
      expect(question.answers).toHaveLength(4);
      expect(Object.keys(question)).toEqual(['text', 'answers', 'correctIndex']);
    }
    expect(quizzes[1]?.questions[0]?.answers[quizzes[1]?.questions[0]?.correctIndex ?? -1]).toEqual({
      text: 'Removes a file',
      feedback: null,
    });
  });

  it('GIVEN an invalid file THEN it keeps what the front matter says, no summary or questions, and the errors', async () => {
    const { out } = await run(runExport, [`${BROKEN}/broken-lecture.md`]);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      path: `${BROKEN}/broken-lecture.md`,
      id: 'c11aaaaaaaaaaaaaaaaaaa03',
      title: null,
      challengeType: 19,
      summary: null,
      questions: [],
      quizzes: [],
      errors: [
        `${BROKEN}/broken-lecture.md:1: front matter needs a title`,
        `${BROKEN}/broken-lecture.md:16: question 1 needs at least two answers, found 1`,
        `${BROKEN}/broken-lecture.md:38: question 2: --video-solution-- is 3 but the question has 2 answers`,
      ],
    });
  });

  it('GIVEN an invalid file whose id and title YAML reads as a number and a date THEN they are exported as typed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'export-typed-'));
    try {
      const path = join(folder, 'typed.md');
      writeFileSync(
        path,
        ['---', 'id: 0123', 'title: 2024-01-01 # the first day', '---', '', 'No questions yet.', ''].join(
          '\n',
        ),
      );
      const { out } = await run(runExport, [path]);
      expect(JSON.parse(out[0] ?? '')).toMatchObject({
        id: '0123',
        title: '2024-01-01',
        errors: [`${path}:5: no questions: add a # --questions-- (or # --quizzes--) section`],
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('GIVEN a second file with the same id in one folder THEN that one carries the duplicate error', async () => {
    const { out } = await run(runExport, [BROKEN]);
    const [, first, second] = parseLines(out);
    expect(first?.errors).toEqual([]);
    expect(second?.errors).toEqual([
      `${BROKEN}/twin-b.md:1: duplicate id c11aaaaaaaaaaaaaaaaaaa04: ${BROKEN}/twin-a.md already uses it`,
    ]);
    expect(second?.title).toBe('Twin B');
  });

  it('GIVEN a missing path THEN stdout stays empty and it exits 2', async () => {
    const { code, out, err } = await run(runExport, ['missing.md']);
    expect(out).toEqual([]);
    expect(err).toEqual(['export: no such file or folder: missing.md']);
    expect(code).toBe(2);
  });
});
