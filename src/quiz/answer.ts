// One answer to a posted quiz question, from click to reply: find the question the button was made
// for, check it has not changed, grade it, record it (the first answer scores) and word the reply.
// The Discord adapter only reads the custom_id and sends `text` back privately.
import type { Question } from '../content/types.js';
import { UserError } from '../user-error.js';
import type { Catalog } from './catalog.js';
import type { GradedAnswers } from './graded.js';
import { questionAt } from './catalog.js';
import { lectureFingerprints } from './fingerprint.js';
import { feedbackText, gradeChoice } from './grading.js';
import { CHANGED_QUESTION, REMOVED_LECTURE } from './messages.js';
import type { ScoreRecord } from './scoring.js';

/** Where a button points: a question of a lecture as it was when posted, and the answer chosen. */
export interface QuestionRef {
  lectureId: string;
  /** 0 for a lecture's questions, or the index of a quiz file's quiz. */
  set: number;
  question: number;
  fingerprint: string;
}

export interface AnswerRequest extends QuestionRef {
  guildId: string;
  userId: string;
  /** The member's name in the server, passed on to the graded-answer listeners. */
  userName?: string;
  /** 0-based answer index. */
  answer: number;
  /** Epoch milliseconds. */
  at: number;
}

/** What the score store must offer: exactly-once recording of a first answer. */
export interface AnswerRecorder {
  recordAnswer(input: {
    guildId: string;
    userId: string;
    questionKey: string;
    choice: number;
    correct: boolean;
    at: number;
  }): Promise<{ firstAnswer: boolean; firstChoice: number; firstCorrect: boolean; score: ScoreRecord }>;
}

export interface AnswerReply {
  correct: boolean;
  /** The private reply: verdict, the author's feedback, and what happened to the score. */
  text: string;
}

/** The store key of one question version: a changed question is a new question. */
export function questionKey(ref: QuestionRef): string {
  return `${ref.lectureId}:${ref.set}:${ref.question}:${ref.fingerprint}`;
}

/** The question a button was made for, or a UserError saying why it is gone. */
export function findQuestion(catalog: Pick<Catalog, 'get'>, ref: QuestionRef): Question {
  const lecture = catalog.get(ref.lectureId);
  if (!lecture) throw new UserError(REMOVED_LECTURE);
  // Per lecture, not per question object: a lecture whose questions were dropped from memory and
  // read again is not hashed again on the next click.
  const fingerprint = lectureFingerprints(lecture)[ref.set]?.[ref.question];
  const question = questionAt(lecture, ref.set, ref.question);
  if (!question || fingerprint !== ref.fingerprint) throw new UserError(CHANGED_QUESTION);
  return question;
}

/**
 * Resolves only once the answer is recorded and every listener was told: a reply that says
 * "+1 point" means it is on disk.
 */
export async function answerQuestion(
  catalog: Pick<Catalog, 'get'>,
  store: AnswerRecorder,
  graded: GradedAnswers,
  request: AnswerRequest,
): Promise<AnswerReply> {
  const question = findQuestion(catalog, request);
  const grade = gradeChoice(question, request.answer);
  if (!grade) throw new UserError(CHANGED_QUESTION);
  const outcome = await store.recordAnswer({
    guildId: request.guildId,
    userId: request.userId,
    questionKey: questionKey(request),
    choice: request.answer,
    correct: grade.correct,
    at: request.at,
  });
  await graded.report({
    guildId: request.guildId,
    userId: request.userId,
    question: {
      lectureId: request.lectureId,
      set: request.set,
      question: request.question,
      fingerprint: request.fingerprint,
    },
    choice: request.answer,
    correct: grade.correct,
    at: request.at,
    source: 'quiz',
    first: outcome.firstAnswer,
    ...(request.userName === undefined ? {} : { userName: request.userName }),
  });
  return { correct: grade.correct, text: feedbackText(grade, { ...outcome, points: outcome.score.points }) };
}
