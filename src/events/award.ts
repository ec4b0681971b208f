// What a finished quiz event adds to the server score: each member's event answers become answers
// in the score store, under a question key unique to the occurrence and question. The store counts
// each key once, so writing the awards again after a crash adds nothing. Pure.
import type { AnswerSheet, QuizEvent } from './model.js';

/** A right event answer adds this to the server score, like a right answer to a posted quiz. */
export const POINTS_PER_EVENT_ANSWER = 1;

export interface EventAward {
  guildId: string;
  userId: string;
  /** Which of the event's questions (its index in `event.questions`). */
  questionIndex: number;
  questionKey: string;
  choice: number;
  correct: boolean;
  at: number;
  points: number;
  /** Ms from the question opening to the answer. */
  ms: number;
  userName?: string;
}

/** The score key of one event question: the same for every retry of one occurrence. */
export function eventQuestionKey(event: Pick<QuizEvent, 'id' | 'occurrence'>, questionIndex: number): string {
  return `event:${event.id}:${event.occurrence}:${questionIndex}`;
}

/**
 * Every answer of the occurrence, one list per member in question order, so streaks read as the
 * member lived them (each list is written in order; members in parallel).
 */
export function eventAwards(
  event: Pick<QuizEvent, 'id' | 'occurrence' | 'guildId' | 'questions'>,
  sheets: readonly (AnswerSheet | undefined)[],
): EventAward[][] {
  const questions = event.questions ?? [];
  const byUser = new Map<string, EventAward[]>();
  sheets.forEach((sheet, index) => {
    for (const [userId, answer] of Object.entries(sheet?.answers ?? {})) {
      const awards = byUser.get(userId) ?? [];
      awards.push({
        guildId: event.guildId,
        userId,
        questionIndex: index,
        questionKey: eventQuestionKey(event, index),
        choice: answer.choice,
        correct: answer.choice === questions[index]?.correctIndex,
        at: answer.at,
        points: POINTS_PER_EVENT_ANSWER,
        ms: answer.ms,
        ...(answer.name === undefined ? {} : { userName: answer.name }),
      });
      byUser.set(userId, awards);
    }
  });
  return [...byUser.values()];
}
