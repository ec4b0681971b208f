// The report and the CSV behind /quizstats, from counters to what a teacher reads. Pure.
import { describe, expect, it } from 'vitest';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import { lectureCsv } from '../../src/stats/csv.js';
import type { LectureStats } from '../../src/stats/model.js';
import { lectureReport, mostChosenWrong } from '../../src/stats/report.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';

const easy = makeQuestion('Easy?', ['no', 'yes'], 1);
const hard = makeQuestion(
  'Hard?',
  [{ text: 'the trap', feedback: 'Tempting, but no.' }, 'right', 'other'],
  1,
);
const lecture = makeLecture({
  id: 'lec',
  title: 'Lecture',
  questions: [easy, hard, makeQuestion('Unseen?', ['a', 'b'], 0)],
});
const key = (index: number, question: typeof easy): string => `0:${index}:${questionFingerprint(question)}`;

describe('lectureReport', () => {
  it('GIVEN counters THEN hardest first, unanswered last, answers to old versions set apart', () => {
    const stats: LectureStats = {
      participants: 4,
      answers: 9,
      right: 5,
      questions: {
        [key(0, easy)]: { answers: 4, right: 4, choices: [0, 4] },
        [key(1, hard)]: { answers: 4, right: 1, choices: [3, 1] },
        '0:1:oldprint': { answers: 1, right: 0, choices: [1] },
      },
    };
    const report = lectureReport(lecture, stats);
    expect(report.questions.map((question) => [question.label, question.accuracy])).toEqual([
      ['2', 0.25],
      ['1', 1],
      ['3', null],
    ]);
    expect(report.questions[0]?.wrong).toEqual({
      letter: 'A',
      text: 'the trap',
      count: 3,
      share: 0.75,
      feedback: 'Tempting, but no.',
    });
    expect(report.questions[1]?.wrong).toBeNull();
    expect(report.meanRight).toBe(1.25);
    expect(report.olderAnswers).toBe(1);
  });

  it('GIVEN a tie between wrong answers THEN the earlier answer is named', () => {
    expect(mostChosenWrong(hard, { answers: 4, right: 0, choices: [2, 0, 2] })?.letter).toBe('A');
  });
});

describe('CSV', () => {
  it('GIVEN names with commas, quotes and formulas THEN cells are quoted and formulas defused', () => {
    const csv = lectureCsv(lecture, 'lec', [
      {
        userId: '1',
        record: {
          name: '=HYPERLINK("x")',
          right: 1,
          answers: { [key(0, easy)]: [1, 1, 0, 0] },
        },
      },
      {
        userId: '2',
        record: {
          name: 'Smith, "Jo"',
          right: 0,
          answers: { [key(1, hard)]: [0, 0, 1, 1] },
        },
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFmember id,member name,lecture,question,first choice,right,answered at',
      `1,"'=HYPERLINK(""x"")",lec,1,B,yes,1970-01-01T00:00:00.000Z`,
      '2,"Smith, ""Jo""",lec,2,A,no,1970-01-01T00:00:00.001Z',
      '',
    ]);
  });
});
