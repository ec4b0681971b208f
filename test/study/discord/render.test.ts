// The study messages within Discord's limits, whatever the lecture holds.
import { describe, expect, it } from 'vitest';
import { embedLength, EMBED_TOTAL_LIMIT, MAX_ROWS } from '../../../src/discord/limits.js';
import { gradeChoice } from '../../../src/quiz/grading.js';
import { studyMessage } from '../../../src/study/discord/render.js';
import { newSession, withAnswer } from '../../../src/study/session.js';
import { makeQuestion, words } from '../../quiz/make-lecture.js';

const ref = (question: number) => ({ lectureId: 'l', set: 0, question, fingerprint: 'fp' });

describe('studyMessage', () => {
  it('GIVEN 25 long answers with long feedback THEN the graded step fits one message and keeps its Next button', () => {
    const answers = Array.from({ length: 25 }, (_, i) => ({
      text: words(300, `a${i}`),
      feedback: words(3000),
    }));
    const question = makeQuestion(words(4000), answers, 3);
    const session = withAnswer(
      newSession({
        id: 'ABCDEFGH',
        kind: 'review',
        lectureId: null,
        set: 0,
        questions: [ref(0), ref(1)],
        now: 0,
      }),
      { choice: 5, correct: false, at: 0 },
    );
    const grade = gradeChoice(question, 5)!;
    const view = studyMessage({
      kind: 'graded',
      session,
      question,
      lectureTitle: words(300),
      choice: 5,
      grade,
      comesBackAt: 0,
    });
    const [embed] = view.embeds;
    expect(embedLength(embed!)).toBeLessThanOrEqual(EMBED_TOTAL_LIMIT);
    expect(view.components.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(view.components.at(-1)?.components.map((button) => button.label)).toEqual(['Next ▶']);
  });

  it('GIVEN a practice run with a hundred misses THEN its summary fits one description', () => {
    const refs = Array.from({ length: 100 }, (_, i) => ref(i));
    const question = makeQuestion(words(500), ['a', 'b'], 0);
    const session = newSession({
      id: 'ABCDEFGH',
      kind: 'practice',
      lectureId: 'l',
      set: 0,
      questions: refs,
      now: 0,
    });
    const view = studyMessage({
      kind: 'practice-summary',
      session,
      lectureTitle: 'L',
      tally: { answered: 100, right: 0, missed: refs, rightRefs: [], skipped: 0 },
      comesBack: { missed: refs.map((r) => ({ ref: r, question, dueAt: 0 })), rightFrom: null },
    });
    expect(view.embeds[0]!.description!.length).toBeLessThanOrEqual(4096);
    expect(view.components[0]?.components.map((button) => button.label)).toEqual(['Review my mistakes']);
  });
});
