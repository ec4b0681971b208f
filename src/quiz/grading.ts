// Grades one click and words the private reply. Pure: no discord.js, no store.
import { answerLetter } from '../content/present.js';
import type { Question } from '../content/types.js';

export interface Grade {
  correct: boolean;
  chosenLetter: string;
  correctLetter: string;
  /** The feedback the author wrote under the chosen answer, or null. */
  chosenFeedback: string | null;
  /** The feedback under the correct answer, or null. */
  correctFeedback: string | null;
}

/** Grades `choice` (0-based); null when the question has no such answer. */
export function gradeChoice(question: Question, choice: number): Grade | null {
  const chosen = question.answers[choice];
  const right = question.answers[question.correctIndex];
  if (!chosen || !right) return null;
  return {
    correct: choice === question.correctIndex,
    chosenLetter: answerLetter(choice),
    correctLetter: answerLetter(question.correctIndex),
    chosenFeedback: chosen.feedback,
    correctFeedback: right.feedback,
  };
}

/** What the store said about this click. */
export interface ScoringOutcome {
  /** True when this click was the user's first answer to the question, so it was the one scored. */
  firstAnswer: boolean;
  /** The user's first (scored) choice and whether it was right. */
  firstChoice: number;
  firstCorrect: boolean;
  /** Points after this click. */
  points: number;
}

/** The text of the private reply to a click: verdict, feedback, and what happened to the score. */
export function feedbackText(grade: Grade, outcome: ScoringOutcome): string {
  const lines: string[] = [];
  if (grade.correct) {
    lines.push(`✅ **Correct!** ${grade.chosenLetter} is the right answer.`);
    if (grade.chosenFeedback) lines.push('', grade.chosenFeedback);
  } else {
    lines.push(`❌ **Not quite.** ${grade.chosenLetter} is not the right answer.`);
    if (grade.chosenFeedback) lines.push('', grade.chosenFeedback);
    if (grade.correctFeedback) lines.push('', `**About the right answer:** ${grade.correctFeedback}`);
  }
  lines.push('', scoreLine(outcome));
  return lines.join('\n');
}

function scoreLine(outcome: ScoringOutcome): string {
  const total = `You have ${pluralPoints(outcome.points)}.`;
  if (outcome.firstAnswer) {
    return outcome.firstCorrect ? `+1 point. ${total}` : `No point this time. ${total}`;
  }
  const first = `${answerLetter(outcome.firstChoice)} (${outcome.firstCorrect ? 'right' : 'wrong'})`;
  return `Your first answer here, ${first}, is the one that counts: your score did not change. ${total}`;
}

export function pluralPoints(points: number): string {
  return points === 1 ? '1 point' : `${points} points`;
}
