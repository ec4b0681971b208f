// answerQuestion: the whole rule of a posted question's click, from lookup to the reply's words.
import { createHash } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lazyLecture } from '../../src/content/lazy-lecture.js';
import { answerQuestion, questionKey } from '../../src/quiz/answer.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import { GradedAnswers } from '../../src/quiz/graded.js';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { CHANGED_QUESTION, REMOVED_LECTURE } from '../../src/quiz/messages.js';
import { openStore } from '../../src/store/index.js';
import type { QuizStore } from '../../src/store/index.js';
import { UserError } from '../../src/user-error.js';
import { makeLecture, makeQuestion } from './make-lecture.js';

// Passed through, and counted: a fingerprint is a SHA-256.
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  return { ...crypto, createHash: vi.fn(crypto.createHash) };
});

const question = makeQuestion('Which command prints the folder you are in?', ['ls', 'pwd', 'cd'], 1);
const lecture = makeLecture({ id: 'shell', questions: [question] });
const catalog = new Catalog([lecture]);
const fingerprint = questionFingerprint(question);
const reported: GradedAnswer[] = [];
const graded = new GradedAnswers([{ answerGraded: (answer) => Promise.resolve(void reported.push(answer)) }]);

let store: QuizStore;
beforeEach(async () => {
  store = await openStore('sqlite://:memory:');
});
afterEach(async () => {
  await store.close();
});

function click(answer: number, fields: { userId?: string; fingerprint?: string; lectureId?: string } = {}) {
  return {
    guildId: '100',
    userId: fields.userId ?? 'alice',
    lectureId: fields.lectureId ?? 'shell',
    set: 0,
    question: 0,
    answer,
    fingerprint: fields.fingerprint ?? fingerprint,
    at: 1_000,
  };
}

describe('answerQuestion', () => {
  it('GIVEN a right first answer THEN it scores and says +1 point', async () => {
    const reply = await answerQuestion(catalog, store, graded, click(1));
    expect(reply.correct).toBe(true);
    expect(reply.text).toContain('**Correct!** B is the right answer.');
    expect(reply.text).toContain('+1 point. You have 1 point.');
    expect((await store.getScore('100', 'alice'))?.score.points).toBe(1);
  });

  it('GIVEN a second click after a wrong first THEN the first counts and the score stays', async () => {
    await answerQuestion(catalog, store, graded, click(0));
    const reply = await answerQuestion(catalog, store, graded, click(1));
    expect(reply.correct).toBe(true);
    expect(reply.text).toContain('Your first answer here, A (wrong), is the one that counts');
    expect((await store.getScore('100', 'alice'))?.score).toMatchObject({ points: 0, answered: 1 });
    // Both clicks are graded answers; only the first one scored.
    expect(reported.slice(-2).map((answer) => [answer.choice, answer.correct, answer.first])).toEqual([
      [0, false, true],
      [1, true, false],
    ]);
    expect(reported.at(-1)).toMatchObject({
      source: 'quiz',
      question: { lectureId: 'shell', set: 0, question: 0, fingerprint },
    });
  });

  it('GIVEN a removed lecture or a changed question THEN a UserError says which, and nothing is recorded', async () => {
    await expect(answerQuestion(catalog, store, graded, click(1, { lectureId: 'gone' }))).rejects.toThrow(
      new UserError(REMOVED_LECTURE),
    );
    await expect(
      answerQuestion(catalog, store, graded, click(1, { fingerprint: 'AAAAAAAA' })),
    ).rejects.toThrow(new UserError(CHANGED_QUESTION));
    await expect(answerQuestion(catalog, store, graded, click(7))).rejects.toThrow(
      new UserError(CHANGED_QUESTION),
    );
    expect(await store.getScore('100', 'alice')).toBeNull();
  });

  it('GIVEN a lecture read from disk on demand, its questions new objects on every read THEN clicks do not hash them again', async () => {
    const lazy = lazyLecture(
      { path: 'shell.md', id: 'shell', title: 'Shell', challengeType: null, dashedName: null },
      () => ({
        summary: '',
        fullText: '',
        // As when the content cache has dropped the body since the last click.
        questions: [
          makeQuestion(
            question.text,
            question.answers.map((answer) => answer.text),
            question.correctIndex,
          ),
        ],
        quizzes: [],
      }),
    );
    const lazyCatalog = new Catalog([lazy]);
    await answerQuestion(lazyCatalog, store, graded, click(1, { userId: 'first' }));
    vi.mocked(createHash).mockClear();
    for (let i = 0; i < 5; i += 1) {
      const reply = await answerQuestion(lazyCatalog, store, graded, click(1, { userId: `member${i}` }));
      expect(reply.correct).toBe(true);
    }
    expect(createHash).not.toHaveBeenCalled();
  });

  it('GIVEN a question THEN its store key names the lecture, set, question and version', () => {
    expect(questionKey({ lectureId: 'shell', set: 0, question: 2, fingerprint: 'abcdEFGH' })).toBe(
      'shell:0:2:abcdEFGH',
    );
  });
});
