import { describe, expect, it } from 'vitest';
import { feedbackText, gradeChoice } from '../../src/quiz/grading.js';
import { makeQuestion } from './make-lecture.js';

const question = makeQuestion(
  'Which one?',
  [
    { text: 'Wrong one', feedback: 'Think about the second option.' },
    { text: 'Right one', feedback: 'Yes: because reasons.' },
    { text: 'Also wrong', feedback: null },
  ],
  1,
);

describe('gradeChoice', () => {
  it('GIVEN the correct choice THEN it is correct with its letter and feedback', () => {
    expect(gradeChoice(question, 1)).toEqual({
      correct: true,
      chosenLetter: 'B',
      correctLetter: 'B',
      chosenFeedback: 'Yes: because reasons.',
      correctFeedback: 'Yes: because reasons.',
    });
  });

  it('GIVEN a wrong choice THEN it carries the chosen and the correct feedback', () => {
    expect(gradeChoice(question, 0)).toMatchObject({
      correct: false,
      chosenLetter: 'A',
      chosenFeedback: 'Think about the second option.',
      correctFeedback: 'Yes: because reasons.',
    });
  });

  it.each([-1, 3, 1.5])('GIVEN a choice %s the question does not have THEN it is null', (choice) => {
    expect(gradeChoice(question, choice)).toBeNull();
  });
});

describe('feedbackText', () => {
  it('GIVEN a first correct answer THEN it says Correct, shows feedback and the point', () => {
    const grade = gradeChoice(question, 1)!;
    const text = feedbackText(grade, { firstAnswer: true, firstChoice: 1, firstCorrect: true, points: 1 });
    expect(text).toContain('Correct');
    expect(text).toContain('Yes: because reasons.');
    expect(text).toContain('+1 point. You have 1 point.');
  });

  it('GIVEN a first wrong answer THEN it says Not quite with both feedbacks and no point', () => {
    const grade = gradeChoice(question, 0)!;
    const text = feedbackText(grade, { firstAnswer: true, firstChoice: 0, firstCorrect: false, points: 0 });
    expect(text).toContain('Not quite');
    expect(text).toContain('Think about the second option.');
    expect(text).toContain('About the right answer:** Yes: because reasons.');
    expect(text).toContain('No point this time. You have 0 points.');
  });

  it('GIVEN a wrong answer without feedback THEN it still says Not quite', () => {
    const plain = makeQuestion('Q', ['a', 'b'], 0);
    const text = feedbackText(gradeChoice(plain, 1)!, {
      firstAnswer: true,
      firstChoice: 1,
      firstCorrect: false,
      points: 3,
    });
    expect(text).toMatch(
      /^❌ \*\*Not quite\.\*\* B is not the right answer\.\n\nNo point this time\. You have 3 points\.$/,
    );
  });

  it('GIVEN a second click THEN it grades the choice and says the score did not change', () => {
    const grade = gradeChoice(question, 1)!;
    const text = feedbackText(grade, { firstAnswer: false, firstChoice: 0, firstCorrect: false, points: 4 });
    expect(text).toContain('Correct');
    expect(text).toContain(
      'A (wrong), is the one that counts: your score did not change. You have 4 points.',
    );
  });
});
