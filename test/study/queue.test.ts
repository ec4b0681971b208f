// Which questions are due, and a member's progress: only current versions of questions count.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/quiz/catalog.js';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import { applyAnswer } from '../../src/study/card.js';
import type { MemberCard } from '../../src/study/card-store.js';
import { memberProgress, textBar } from '../../src/study/progress.js';
import { reviewQueue } from '../../src/study/queue.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';
import { lazyLecture } from '../../src/content/lazy-lecture.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);
const questions = [0, 1, 2].map((i) => makeQuestion(`Q${i}?`, ['a', 'b'], 0));
const lecture = makeLecture({ id: 'l', title: 'Alpha', questions });
const other = makeLecture({ id: 'm', title: 'Beta' });
const catalog = new Catalog([lecture, other]);
const ref = (question: number) => ({
  lectureId: 'l',
  set: 0,
  question,
  fingerprint: questionFingerprint(questions[question]!),
});

describe('reviewQueue', () => {
  it('GIVEN due, scheduled, edited and removed questions THEN only the current due ones, most overdue first', () => {
    const cards: MemberCard[] = [
      { ref: ref(0), card: applyAnswer(undefined, false, T0 - DAY) },
      { ref: ref(1), card: applyAnswer(undefined, false, T0 - 3 * DAY) },
      { ref: ref(2), card: applyAnswer(undefined, true, T0) },
      { ref: { ...ref(0), fingerprint: 'oldoldol' }, card: applyAnswer(undefined, false, T0 - 9 * DAY) },
      { ref: { ...ref(0), lectureId: 'gone' }, card: applyAnswer(undefined, false, T0 - 9 * DAY) },
    ];
    const queue = reviewQueue(cards, catalog, T0);
    expect(queue.due.map((entry) => entry.ref)).toEqual([ref(1), ref(0)]);
    expect(queue.scheduled).toBe(1);
    expect(queue.nextDueAt).toBe(cards[2]!.card.due);
  });
});

describe('reviewQueue over lectures read from disk on demand', () => {
  it('GIVEN many queues over the same lazy lecture THEN its questions are read once, not per queue', () => {
    let reads = 0;
    const lazy = lazyLecture(
      { path: 'l.md', id: 'l', title: 'Alpha', challengeType: null, dashedName: null },
      () => {
        // Like the content cache dropping a body: every read gives fresh objects.
        reads += 1;
        const fresh = questions.map((q) =>
          makeQuestion(
            q.text,
            q.answers.map((a) => a.text),
            q.correctIndex,
          ),
        );
        return { summary: '', fullText: '', questions: fresh, quizzes: [] };
      },
    );
    const cards: MemberCard[] = [0, 1, 2].map((i) => ({
      ref: ref(i),
      card: applyAnswer(undefined, false, T0),
    }));
    const lazyCatalog = new Catalog([lazy]);
    for (let i = 0; i < 5; i += 1) expect(reviewQueue(cards, lazyCatalog, T0 + DAY).due).toHaveLength(3);
    expect(reads).toBeLessThanOrEqual(2);
    expect(
      reviewQueue([{ ...cards[0]!, ref: { ...ref(0), fingerprint: 'oldoldol' } }], lazyCatalog, T0).due,
    ).toEqual([]);
  });
});

describe('memberProgress', () => {
  it('GIVEN answers in one lecture THEN it is started with seen, right and due; the other is suggested', () => {
    const cards: MemberCard[] = [
      { ref: ref(0), card: applyAnswer(undefined, true, T0) },
      { ref: ref(1), card: applyAnswer(undefined, false, T0) },
      { ref: { ...ref(2), fingerprint: 'oldoldol' }, card: applyAnswer(undefined, true, T0) },
    ];
    const progress = memberProgress(catalog, cards, T0);
    expect(progress.started.map((p) => [p.lecture.id, p.total, p.seen, p.right, p.due])).toEqual([
      ['l', 3, 2, 1, 1],
    ]);
    expect(progress.notStarted.map((l) => l.id)).toEqual(['m']);
  });

  it('GIVEN only cards of an edited question THEN the lecture counts as not started', () => {
    const cards: MemberCard[] = [
      { ref: { ...ref(2), fingerprint: 'oldoldol' }, card: applyAnswer(undefined, true, T0) },
    ];
    expect(memberProgress(catalog, cards, T0).notStarted.map((l) => l.id)).toEqual(['l', 'm']);
  });
});

describe('textBar', () => {
  it.each([
    [0, 3, '▱▱▱▱▱▱▱▱▱▱'],
    [1, 3, '▰▰▰▱▱▱▱▱▱▱'],
    [9, 10, '▰▰▰▰▰▰▰▰▰▱'],
    [10, 10, '▰▰▰▰▰▰▰▰▰▰'],
    [0, 0, '▱▱▱▱▱▱▱▱▱▱'],
  ])('GIVEN %i of %i THEN %s', (part, whole, bar) => {
    expect(textBar(part, whole)).toBe(bar);
  });
});
