// Results for teachers as counters, updated as answers are recorded (src/stats/recorder.ts), so a
// report reads a few keys however many members answered. Plain JSON records; keys in
// src/store/keys.ts. Pure.

/** First answers to one question version: how many, how many right, and how often each choice. */
export interface QuestionCounts {
  answers: number;
  right: number;
  /** By answer index; missing or short where a choice was never picked. */
  choices: number[];
}

/**
 * One lecture in one server: each member's first answer to each question version, whichever way it
 * came (a posted quiz or a quiz event), counted once.
 */
export interface LectureStats {
  participants: number;
  answers: number;
  right: number;
  /** By question version: `${set}:${question}:${fingerprint}` (see versionKey). */
  questions: Record<string, QuestionCounts>;
}

/**
 * A member's first answer to a question version: the choice, 1 when right, when (epoch ms), and 1
 * when it came from a quiz event (0: a posted quiz). A tuple of numbers: 10,000 members' records
 * are read for a CSV, and this keeps each small and quick to parse.
 */
export type FirstAnswer = [choice: number, right: 0 | 1, at: number, viaEvent: 0 | 1];

/** One member's first answers to one lecture: the marker that makes a repeat count nothing. */
export interface MemberLectureRecord {
  /** The member's name when they last answered. */
  name: string;
  right: number;
  /** By question version (versionKey). */
  answers: Record<string, FirstAnswer>;
}

/**
 * One question of an event run: its counts, the fingerprint of the version asked and where it came
 * from. A review night asks questions of several lectures, so each slot names its own; slots
 * counted before that was kept lack lectureId, set and question (the occurrence's lecture and set,
 * the slot's index, then).
 */
export type SlotCounts = QuestionCounts & {
  fingerprint: string;
  lectureId?: string;
  set?: number;
  /** The question's index in its lecture's set. */
  question?: number;
};

/** Where a slot's question comes from. */
export interface SlotRef {
  lectureId: string;
  set: number;
  question: number;
}

export function slotRef(
  stats: Pick<OccurrenceStats, 'lectureId' | 'set'>,
  slot: string,
  counts?: SlotCounts,
): SlotRef {
  return {
    lectureId: counts?.lectureId ?? stats.lectureId,
    set: counts?.set ?? stats.set,
    question: counts?.question ?? Number(slot),
  };
}

/** One run (occurrence) of a quiz event. */
export interface OccurrenceStats {
  /** The lecture of the run's first counted answer (a review night's slots each name their own). */
  lectureId: string;
  /** The question set asked (0 for a lecture's own questions). */
  set: number;
  participants: number;
  answers: number;
  right: number;
  /** By question index in the event: the counts and the lecture question asked there. */
  questions: Record<string, SlotCounts>;
  /** Earliest answer (epoch ms): when it ran. */
  firstAt: number;
}

export interface OccurrenceAnswer {
  choice: number;
  right: boolean;
  at: number;
  ms: number;
}

export interface OccurrenceMemberRecord {
  name: string;
  right: number;
  answered: number;
  /** Sum of the answer times (ms), for the standings' tie-break. */
  ms: number;
  /** By question index in the event. */
  answers: Record<string, OccurrenceAnswer>;
}

/** The server's most recent occurrences with results, newest last (for autocomplete). */
export interface EventIndex {
  occurrences: { eventId: string; occurrence: number; lectureId: string; at: number }[];
}

/** Occurrences the index keeps; older ones stay readable by id. */
export const EVENT_INDEX_SIZE = 200;

export function versionKey(question: { set: number; question: number; fingerprint: string }): string {
  return `${question.set}:${question.question}:${question.fingerprint}`;
}

export function parseVersionKey(key: string): { set: number; question: number; fingerprint: string } | null {
  const match = /^(\d+):(\d+):(.*)$/.exec(key);
  if (!match) return null;
  return { set: Number(match[1]), question: Number(match[2]), fingerprint: match[3] ?? '' };
}

export function emptyLectureStats(): LectureStats {
  return { participants: 0, answers: 0, right: 0, questions: {} };
}

export function emptyCounts(): QuestionCounts {
  return { answers: 0, right: 0, choices: [] };
}

/** Adds one first answer to a question's counters (in place). */
export function count(counts: QuestionCounts, choice: number, right: boolean): void {
  counts.answers += 1;
  if (right) counts.right += 1;
  while (counts.choices.length <= choice) counts.choices.push(0);
  counts.choices[choice] = (counts.choices[choice] ?? 0) + 1;
}
