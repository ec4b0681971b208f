// A practice run or a review session as plain data: the questions fixed when it started, where the
// member is, and what they answered. Stored after every step, so its buttons keep working after a
// restart; a button names its session and position, so one from a finished or replaced session, or
// from a step already passed, is told apart from a live one. Pure.
import { randomInt } from 'node:crypto';
import type { QuestionRef } from '../quiz/answer.js';

export type SessionKind = 'practice' | 'review';

export interface SessionAnswer {
  choice: number;
  correct: boolean;
  at: number;
}

export interface StudySession {
  id: string;
  kind: SessionKind;
  /** Practice: the lecture run through; review: null (its questions come from many lectures). */
  lectureId: string | null;
  /** Practice: the question set (0 for a lecture's questions, else the quiz file's quiz). */
  set: number;
  questions: QuestionRef[];
  /** The question shown now; `questions.length` once finished. */
  position: number;
  /**
   * One entry per question reached, by index: the answer, or null when the question changed since
   * the session began and was skipped. `answers.length > position` means the current question is
   * answered and its grade is shown until Next.
   */
  answers: (SessionAnswer | null)[];
  startedAt: number;
  finishedAt: number | null;
}

/** What a button says about itself: which session, at which question. */
export interface SessionStep {
  sessionId: string;
  position: number;
}

export type StepRefusal =
  'no-session' | 'superseded' | 'finished' | 'moved-on' | 'not-reached' | 'already-answered' | 'not-answered';

/** Crockford base32, as quiz event ids: no I, L, O or U. */
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SESSION_ID_LENGTH = 8;

export function newSessionId(random: (max: number) => number = randomInt): string {
  let id = '';
  for (let i = 0; i < SESSION_ID_LENGTH; i += 1) id += ID_ALPHABET[random(ID_ALPHABET.length)];
  return id;
}

export function newSession(input: {
  id: string;
  kind: SessionKind;
  lectureId: string | null;
  set: number;
  questions: QuestionRef[];
  now: number;
}): StudySession {
  const { id, kind, lectureId, set, questions, now } = input;
  return { id, kind, lectureId, set, questions, position: 0, answers: [], startedAt: now, finishedAt: null };
}

export function isFinished(session: StudySession): boolean {
  return session.finishedAt !== null || session.position >= session.questions.length;
}

/** True when the question shown now has been answered (its grade is shown, waiting for Next). */
export function isAnswered(session: StudySession): boolean {
  return session.answers.length > session.position;
}

/** True once the member did anything in it: worth offering to continue. */
export function hasProgress(session: StudySession): boolean {
  return session.answers.length > 0;
}

export function currentRef(session: StudySession): QuestionRef | undefined {
  return session.questions[session.position];
}

/** Whether a button of `step` may act on `session` now: null when it may, else why not. */
export function checkStep(
  session: StudySession | undefined,
  step: SessionStep,
  action: 'answer' | 'next',
): StepRefusal | null {
  if (session === undefined) return 'no-session';
  if (session.id !== step.sessionId) return 'superseded';
  if (isFinished(session)) return 'finished';
  if (step.position < session.position) return 'moved-on';
  // Only a forged or garbled button can point ahead of the run.
  if (step.position > session.position) return 'not-reached';
  if (action === 'answer' && isAnswered(session)) return 'already-answered';
  if (action === 'next' && !isAnswered(session)) return 'not-answered';
  return null;
}

/** The current question answered: its grade is shown until Next. */
export function withAnswer(session: StudySession, answer: SessionAnswer): StudySession {
  return { ...session, answers: [...session.answers.slice(0, session.position), answer] };
}

/** On to the next question, or finished after the last. */
export function advanced(session: StudySession, now: number): StudySession {
  const position = Math.min(session.position + 1, session.questions.length);
  return {
    ...session,
    position,
    finishedAt: position >= session.questions.length ? (session.finishedAt ?? now) : null,
  };
}

/** The current question changed or went since the session began: recorded as skipped, then on. */
export function skipped(session: StudySession, now: number): StudySession {
  return advanced({ ...session, answers: [...session.answers.slice(0, session.position), null] }, now);
}

export interface SessionTally {
  /** Questions answered (skipped ones left out). */
  answered: number;
  right: number;
  /** The questions missed, in session order. */
  missed: QuestionRef[];
  /** The questions answered right, in session order. */
  rightRefs: QuestionRef[];
  skipped: number;
}

export function tally(session: StudySession): SessionTally {
  const result: SessionTally = { answered: 0, right: 0, missed: [], rightRefs: [], skipped: 0 };
  session.answers.forEach((answer, index) => {
    const ref = session.questions[index];
    if (ref === undefined) return;
    if (answer === null) {
      result.skipped += 1;
      return;
    }
    result.answered += 1;
    if (answer.correct) {
      result.right += 1;
      result.rightRefs.push(ref);
    } else {
      result.missed.push(ref);
    }
  });
  return result;
}

/** A stored value read back as a session, or undefined when it is not one. */
export function isStudySession(value: unknown): value is StudySession {
  if (typeof value !== 'object' || value === null) return false;
  const fields = new Map<string, unknown>(Object.entries(value));
  const kind = fields.get('kind');
  return (
    typeof fields.get('id') === 'string' &&
    (kind === 'practice' || kind === 'review') &&
    typeof fields.get('position') === 'number' &&
    Array.isArray(fields.get('questions')) &&
    Array.isArray(fields.get('answers'))
  );
}
