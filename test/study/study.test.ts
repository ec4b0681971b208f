// The study flows over a real (in-memory) store, with lectures the test edits between steps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/quiz/catalog.js';
import { GradedAnswers } from '../../src/quiz/graded.js';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { openStore } from '../../src/store/index.js';
import type { QuizStore } from '../../src/store/index.js';
import { MAX_REVIEW_QUESTIONS } from '../../src/study/queue.js';
import { Study } from '../../src/study/study.js';
import type { Member, StudyView } from '../../src/study/study.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';

const T0 = Date.UTC(2026, 2, 2, 12);
const questions = [0, 1, 2].map((i) => makeQuestion(`Q${i}?`, ['a', 'b'], 1));
const lecture = makeLecture({ id: 'l', title: 'L', questions });
const edited = makeLecture({
  id: 'l',
  title: 'L',
  questions: [makeQuestion('Q0, edited?', ['a', 'b'], 1), ...questions.slice(1)],
});

let store: QuizStore;
let study: Study;
let reported: GradedAnswer[];
let graded: GradedAnswers;
beforeEach(async () => {
  store = await openStore('sqlite://:memory:');
  study = new Study(store.records);
  reported = [];
  graded = new GradedAnswers([
    study.listener,
    { answerGraded: (answer) => Promise.resolve(void reported.push(answer)) },
  ]);
});
afterEach(async () => {
  await store.close();
});

const member = (catalog: Catalog, now = T0): Member => ({ guildId: '100', userId: '1', catalog, now });
const practice = { kind: 'practice', lectureId: 'l' } as const;
function step(view: StudyView): { sessionId: string; position: number } {
  if (!('session' in view)) throw new Error(`no session in ${view.kind}`);
  return { sessionId: view.session.id, position: view.session.position };
}

describe('practice', () => {
  it('GIVEN an answer THEN it is reported as a practice answer that did not score, with a step id', async () => {
    const catalog = new Catalog([lecture]);
    const first = await study.startPractice(member(catalog), lecture, null, () => 0);
    const view = await study.answer(member(catalog), graded, practice, step(first), 0);
    expect(view).toMatchObject({ kind: 'graded', grade: { correct: false }, comesBackAt: T0 });
    expect(reported).toEqual([
      expect.objectContaining({
        source: 'practice',
        first: false,
        correct: false,
        answerId: `practice:${step(first).sessionId}:0`,
      }),
    ]);
  });

  it('GIVEN a question answered, then edited before Next THEN the run goes on past it', async () => {
    const before = new Catalog([lecture]);
    const first = await study.startPractice(member(before), lecture, null, () => 0);
    await study.answer(member(before), graded, practice, step(first), 1);
    const after = new Catalog([edited]);
    const continued = await study.continuePractice(member(after), 'l', step(first).sessionId);
    expect(continued).toMatchObject({ kind: 'question', question: { text: 'Q1?' }, skipped: 0 });
  });

  it('GIVEN the lecture edited before a question is reached THEN it is passed over and counted as skipped', async () => {
    const before = new Catalog([lecture]);
    const first = await study.startPractice(member(before), lecture, null, () => 0);
    const after = new Catalog([edited]);
    const view = await study.answer(member(after), graded, practice, step(first), 1);
    expect(view).toMatchObject({ kind: 'question', question: { text: 'Q1?' }, skipped: 1 });
    expect(reported).toEqual([]);
  });
});

describe('review', () => {
  it(`GIVEN more than ${MAX_REVIEW_QUESTIONS} misses THEN a session asks the ${MAX_REVIEW_QUESTIONS} most overdue`, async () => {
    const many = Array.from({ length: 25 }, (_, i) => makeQuestion(`M${i}?`, ['a', 'b'], 1));
    const big = makeLecture({ id: 'big', questions: many });
    const catalog = new Catalog([big]);
    const run = await study.startPractice(member(catalog), big, null, () => 0);
    let view = run;
    for (let i = 0; i < many.length; i++) {
      const at = T0 + i * 60_000;
      view = await study.answer(
        member(catalog, at),
        graded,
        { kind: 'practice', lectureId: 'big' },
        step(view),
        0,
      );
      view = await study.next(member(catalog, at), { kind: 'practice', lectureId: 'big' }, step(view));
    }
    const review = await study.startReview(member(catalog, T0 + 3_600_000));
    expect(review.kind).toBe('question');
    if (review.kind !== 'question') return;
    expect(review.session.questions).toHaveLength(MAX_REVIEW_QUESTIONS);
    expect(review.session.questions.map((ref) => ref.question)).toEqual(
      Array.from({ length: MAX_REVIEW_QUESTIONS }, (_, i) => i),
    );
    expect(await study.dueSummary(member(catalog, T0 + 3_600_000))).toMatchObject({ due: 25 });
  });
});
