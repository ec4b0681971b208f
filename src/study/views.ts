// What the study flows hand to the Discord layer: one StudyView per reply, plain data.
import type { Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import type { Catalog } from '../quiz/catalog.js';
import type { Grade } from '../quiz/grading.js';
import type { ReviewCard } from './card.js';
import type { SessionKind, SessionTally, StepRefusal, StudySession } from './session.js';

/** Who is studying where, and the lectures that server sees. */
export interface Member {
  guildId: string;
  userId: string;
  catalog: Catalog;
  now: number;
}

export type StudyView =
  /** A question to answer. `skipped`: questions passed over just now because they changed. */
  | { kind: 'question'; session: StudySession; question: Question; lectureTitle: string; skipped: number }
  /** The current question answered: its grade, and when it comes back for review. */
  | {
      kind: 'graded';
      session: StudySession;
      question: Question;
      lectureTitle: string;
      choice: number;
      grade: Grade;
      comesBackAt: number;
    }
  | {
      kind: 'practice-summary';
      session: StudySession;
      lectureTitle: string;
      tally: SessionTally;
      comesBack: ComesBack;
    }
  | { kind: 'review-summary'; session: StudySession; tally: SessionTally; due: DueSummary }
  /** An unfinished practice run of the lecture: continue it, or start over (with `restartSet`). */
  | { kind: 'offer'; session: StudySession; lectureTitle: string; restartSet: number }
  /** Nothing due: how much is scheduled, and when next. */
  | { kind: 'nothing-due'; due: DueSummary }
  | { kind: 'refused'; sessionKind: SessionKind; reason: StepRefusal };

export interface DueSummary {
  due: number;
  /** Current cards not due yet. */
  scheduled: number;
  nextDueAt: number | null;
}

/** When a finished practice run's questions come back for review. */
export interface ComesBack {
  /** By missed question, in run order. */
  missed: { ref: QuestionRef; question: Question | undefined; dueAt: number | null }[];
  /** The earliest of the right ones; null when none was right. */
  rightFrom: number | null;
}

export function gradedView(
  session: StudySession,
  question: Question,
  lectureTitle: string,
  choice: number,
  grade: Grade,
  card: ReviewCard | undefined,
  now: number,
): StudyView {
  return { kind: 'graded', session, question, lectureTitle, choice, grade, comesBackAt: card?.due ?? now };
}

export function refused(sessionKind: SessionKind, reason: StepRefusal): StudyView {
  return { kind: 'refused', sessionKind, reason };
}
