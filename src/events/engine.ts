// The quiz event state machine, pure: `nextStep` says what is due for an event at a given time,
// `applyStep` records that it was done. A driver needs nothing else to run, resume or repeat events:
// after a restart it calls `nextStep` with the stored event and the current time, and anything whose
// time passed (a question that should have closed) comes back as due at once.
import type { Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import { initialProgress } from './model.js';
import type { AnswerSheet, QuizEvent } from './model.js';
import { nextOccurrence, reminderTime } from './schedule.js';

/** A start missed by more than this (the bot was down) is skipped rather than run hours late. */
export const LATE_START_GRACE_MS = 30 * 60_000;

export type EventStep =
  | { action: 'post-reminder'; at: number }
  | { action: 'post-intro'; at: number }
  | { action: 'open-question'; at: number; questionIndex: number }
  | { action: 'close-question'; at: number; questionIndex: number }
  | { action: 'post-standings'; at: number }
  | { action: 'finish'; at: number; missed: boolean }
  /** Nothing is due before `at`. */
  | { action: 'wait'; at: number }
  /** Finished or cancelled: the event needs no driver. */
  | { action: 'none' };

export type DueStep = Exclude<EventStep, { action: 'wait' } | { action: 'none' }>;

/** What is due for `event` at `now`, or when to look again. */
export function nextStep(event: QuizEvent, now: number): EventStep {
  const step = plannedStep(event, now);
  if (step.action === 'none' || step.at <= now) return step;
  return { action: 'wait', at: step.at };
}

function plannedStep(event: QuizEvent, now: number): DueStep | { action: 'none' } {
  const { progress } = event;
  if (event.status === 'finished' || event.status === 'cancelled') return { action: 'none' };

  if (event.status === 'scheduled') {
    if (now > event.startAt + LATE_START_GRACE_MS) return { action: 'finish', at: now, missed: true };
    const remindAt = reminderTime(new Date(event.startAt), event.reminderMinutes)?.getTime();
    const reminderDue =
      progress.phase === 'pending' &&
      remindAt !== undefined &&
      remindAt >= event.createdAt &&
      now < event.startAt;
    if (reminderDue) return { action: 'post-reminder', at: remindAt };
    return { action: 'post-intro', at: event.startAt };
  }

  const count = event.questions?.length ?? 0;
  switch (progress.phase) {
    case 'intro': {
      const at = (progress.introAt ?? event.startAt) + event.introSeconds * 1000;
      return count > 0 ? { action: 'open-question', at, questionIndex: 0 } : { action: 'post-standings', at };
    }
    case 'question':
      return {
        action: 'close-question',
        at: progress.questionClosesAt ?? now,
        questionIndex: progress.questionIndex,
      };
    case 'reveal': {
      const at = (progress.revealedAt ?? now) + event.revealSeconds * 1000;
      const following = progress.questionIndex + 1;
      return following < count
        ? { action: 'open-question', at, questionIndex: following }
        : { action: 'post-standings', at };
    }
    case 'standings':
      return { action: 'finish', at: now, missed: false };
    default:
      // A running event in a scheduled phase cannot be produced by applyStep; start it over cleanly.
      return { action: 'post-intro', at: event.startAt };
  }
}

/** What the driver did for a step, with what the step produced. */
export type StepOutcome =
  | { action: 'post-reminder'; messageId: string | null }
  /**
   * `questions`: every question of the lecture or quiz set; the event keeps the first `questionLimit`.
   * `sources`: for a review night, where each question comes from.
   */
  | {
      action: 'post-intro';
      messageId: string | null;
      questions: readonly Question[];
      sources?: readonly QuestionRef[];
    }
  | {
      action: 'open-question';
      questionIndex: number;
      messageId: string | null;
      openedAt: number;
      closesAt: number;
    }
  | { action: 'close-question'; questionIndex: number; messageId: string | null }
  | { action: 'post-standings'; messageId: string | null }
  | { action: 'finish'; missed: boolean };

/**
 * The event after a step. Cancelled events come back unchanged, so a cancel that races a step
 * wins. A finished repeating event comes back as its next occurrence, scheduled.
 */
export function applyStep(event: QuizEvent, outcome: StepOutcome, now: number): QuizEvent {
  if (event.status === 'cancelled' || event.status === 'finished') return event;
  const progress = event.progress;
  switch (outcome.action) {
    case 'post-reminder':
      return { ...event, progress: { ...progress, phase: 'reminded', reminderMessageId: outcome.messageId } };
    case 'post-intro':
      return {
        ...event,
        status: 'running',
        questions: selectQuestions(outcome.questions, event.questionLimit),
        ...(outcome.sources === undefined
          ? {}
          : { sources: selectQuestions(outcome.sources, event.questionLimit) }),
        progress: { ...progress, phase: 'intro', introAt: now, introMessageId: outcome.messageId },
      };
    case 'open-question':
      return {
        ...event,
        progress: {
          ...progress,
          phase: 'question',
          questionIndex: outcome.questionIndex,
          questionOpenedAt: outcome.openedAt,
          questionClosesAt: outcome.closesAt,
          questionMessageIds: withAt(progress.questionMessageIds, outcome.questionIndex, outcome.messageId),
        },
      };
    case 'close-question':
      return {
        ...event,
        progress: {
          ...progress,
          phase: 'reveal',
          questionIndex: outcome.questionIndex,
          revealedAt: now,
          revealMessageIds: withAt(progress.revealMessageIds, outcome.questionIndex, outcome.messageId),
        },
      };
    case 'post-standings':
      return {
        ...event,
        progress: { ...progress, phase: 'standings', standingsMessageId: outcome.messageId },
      };
    case 'finish':
      return finishOccurrence(event, outcome.missed, now);
  }
}

/** The finished record, or for a repeating event its next occurrence (same id, occurrence + 1). */
function finishOccurrence(event: QuizEvent, missed: boolean, now: number): QuizEvent {
  const next = nextOccurrence(
    new Date(Math.max(event.startAt, now)),
    event.repeat,
    event.zone,
    new Date(event.anchorAt),
  );
  if (next === null) {
    return { ...event, status: 'finished', progress: { ...event.progress, phase: 'done', missed } };
  }
  return {
    ...event,
    status: 'scheduled',
    startAt: next.getTime(),
    createdAt: now,
    occurrence: event.occurrence + 1,
    questions: null,
    // A repeating review night picks its questions afresh at each start.
    ...(event.sources === undefined ? {} : { sources: null }),
    progress: initialProgress(),
  };
}

/** The questions an event asks: the first `limit` in lecture order (authors order them on purpose). */
export function selectQuestions<T>(questions: readonly T[], limit: number | null): T[] {
  return limit === null ? [...questions] : questions.slice(0, Math.max(0, limit));
}

/** `list` with `value` at `index`, padded with nulls when the list was shorter. */
function withAt<T>(list: readonly (T | null)[], index: number, value: T | null): (T | null)[] {
  return Array.from({ length: Math.max(list.length, index + 1) }, (_, i) =>
    i === index ? value : (list[i] ?? null),
  );
}

// ---- answers ----

export interface Tally {
  /** Answers per choice, by index. */
  counts: number[];
  /** Whole percentages per choice that add up to exactly 100 (largest remainder), or all 0. */
  shares: number[];
  total: number;
}

export function tally(answers: Iterable<{ choice: number }>, answerCount: number): Tally {
  const counts = Array.from({ length: answerCount }, () => 0);
  for (const { choice } of answers) {
    if (choice >= 0 && choice < answerCount) counts[choice] = (counts[choice] ?? 0) + 1;
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { counts, shares: percentages(counts, total), total };
}

/** Largest remainder: floor every share, then hand the missing points to the biggest remainders. */
function percentages(counts: readonly number[], total: number): number[] {
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count * 100) / total);
  const shares = exact.map(Math.floor);
  let missing = 100 - shares.reduce((sum, share) => sum + share, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    missing -= 1;
  }
  return shares;
}

export interface QuestionReveal extends Tally {
  questionIndex: number;
  correctIndex: number;
  /** Members who picked the correct answer. */
  correctCount: number;
}

export function revealQuestion(
  sheet: AnswerSheet | undefined,
  questionIndex: number,
  question: Question,
): QuestionReveal {
  const result = tally(Object.values(sheet?.answers ?? {}), question.answers.length);
  return {
    ...result,
    questionIndex,
    correctIndex: question.correctIndex,
    correctCount: result.counts[question.correctIndex] ?? 0,
  };
}
